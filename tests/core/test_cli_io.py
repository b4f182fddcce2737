"""The command line's import, export and erase verbs (DESIGN.md §6, issue 7): summaries,
``FILE:LINE: reason`` on stderr, exit codes, ``--dry-run`` and ``--map``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relnotebook import cli
from relnotebook.core import db

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"
CONTACTS = TESTDATA / "contacts"
pytestmark = pytest.mark.skipif(not CONTACTS.is_dir(), reason="shared testdata missing")


@pytest.fixture
def run(capsys):
    def call(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    yield call
    db.close_notebook()


@pytest.fixture
def nb(tmp_path) -> Path:
    return tmp_path / "notebook.sqlite"


def _contact_files() -> list[Path]:
    return sorted(p for p in CONTACTS.iterdir() if p.suffix in (".vcf", ".csv"))


def test_import_reports_and_names_what_it_skips(run, nb):
    code, out, err = run("import", *_contact_files(), "--notebook", nb)
    assert code == 0
    assert out == "added 15, merged 0, skipped 1\n"
    assert "broken.vcf:1: the card never ends (no END:VCARD before line 6)\n" in err
    assert "excel_semicolon.csv: read the columns as name=Name, company=Firma, email=E-Mail, " \
           "phone=Telefon, about=Notiz\n" in err
    code, out, err = run("import", *_contact_files(), "--notebook", nb)
    assert (code, out) == (0, "added 0, merged 0, skipped 1, unchanged 15\n")
    code, out, _ = run("customers", "--notebook", nb)
    assert len(out.splitlines()) == 15


def test_import_exits_1_when_nothing_could_be_read(run, nb):
    code, out, err = run("import", TESTDATA / "peer-vcards" / "unparsable.vcf", "--notebook", nb)
    assert code == 1 and out == "added 0, merged 0, skipped 1\n"
    assert err == ("unparsable.vcf:1: the card never ends (no END:VCARD before the end of "
                   "the file)\n")
    code, _, err = run("import", nb.parent / "missing.vcf", "--notebook", nb)
    assert code == 1 and err.startswith("missing.vcf: cannot read the file")


def test_dry_run_writes_nothing_not_even_a_notebook(run, nb):
    code, out, err = run("import", CONTACTS / "apple_contacts.vcf", "--dry-run", "--notebook",
                         nb)
    assert code == 0 and not nb.exists()
    assert out.splitlines() == [
        "new: Åsa Lindqvist (apple_contacts.vcf:1)",
        "new: Dr. Seán O'Brien (apple_contacts.vcf:33)",
        "new: Kettle & Co. (apple_contacts.vcf:42)",
        "added 3, merged 0, skipped 0 (dry run: nothing was written)",
    ]
    assert run("add", "Åsa Lindqvist", "--email", "asa.l@home.example", "--notebook", nb)[0] == 0
    db.close_notebook()  # the last connection folds the WAL into the file
    before = nb.read_bytes()
    code, out, _ = run("import", CONTACTS / "apple_contacts.vcf", "--dry-run", "--notebook", nb)
    assert code == 0
    assert ("merge: Åsa Lindqvist (apple_contacts.vcf:1) into Åsa Lindqvist (same email); "
            "adds given_name, family_name, company, department, title, about, photo, email "
            "asa.lindqvist@nordvag.example, phone") in out
    assert "added 2, merged 1, skipped 0 (dry run" in out
    db.close_notebook()
    assert nb.read_bytes() == before


def test_map_columns_and_usage_errors(run, nb, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("Wer;Wo;Post\nEva Lind;Lind AB;eva@lind.example\n", encoding="utf-8")
    code, out, err = run("import", odd, "--notebook", nb)
    assert code == 1 and "odd.csv:1: cannot tell which column holds what" in err
    code, out, err = run("import", odd, "--map", "name=Wer", "--map", "company=Wo",
                         "--map", "email=Post", "--notebook", nb)
    assert (code, out) == (0, "added 1, merged 0, skipped 0\n")
    code, _, err = run("import", odd, "--map", "shoe=Wer", "--notebook", nb)
    assert code == 2 and 'unknown field "shoe"' in err
    code, _, err = run("import", odd, "--map", "nameWer", "--notebook", nb)
    assert code == 2 and "FIELD=COLUMN" in err


def test_exports(run, nb, tmp_path):
    assert run("import", *_contact_files(), "--notebook", nb)[0] == 0
    for fmt, name in (("vcf", "all.vcf"), ("csv", "all.csv"), ("json", "all.json")):
        code, out, _ = run("export", fmt, tmp_path / name, "--notebook", nb)
        assert (code, out) == (0, f"Exported 15 customers to {tmp_path / name}\n")
        assert (tmp_path / name).stat().st_mode & 0o077 == 0  # private, like the notebook
    code, out, _ = run("export", "ics", tmp_path / "all.ics", "--notebook", nb)
    assert code == 0 and out.startswith("Exported 5 follow-ups and dates")
    code, out, _ = run("export", "md", tmp_path / "md", "--date", "2026-11-01", "--notebook", nb)
    assert (code, out) == (0, f"Exported 15 customers to {tmp_path / 'md'}\n")
    assert len(list((tmp_path / "md").glob("*.md"))) == 15
    code, out, _ = run("export", "json", tmp_path / "one", "--customer", "priya",
                       "--notebook", nb)
    assert code == 0 and out.startswith("Exported Priya Raman (Asterix Software) to ")
    doc = json.loads((tmp_path / "one" / "priya-raman.json").read_text(encoding="utf-8"))
    assert [c["full_name"] for c in doc["tables"]["customer"]] == ["Priya Raman"]
    assert (tmp_path / "one" / "priya-raman.md").exists()
    code, _, err = run("export", "vcf", tmp_path / "x.vcf", "--customer", "priya",
                       "--notebook", nb)
    assert code == 2 and "--customer goes with json" in err
    code, _, err = run("export", "vcf", tmp_path / "no" / "such" / "x.vcf", "--notebook", nb)
    assert code == 1 and err.startswith("relnotebook: cannot write")


def test_erase_needs_yes_and_leaves_the_uuid(run, nb):
    assert run("import", CONTACTS / "outlook_contacts.csv", "--notebook", nb)[0] == 0
    code, _, err = run("erase", "Bob", "--notebook", nb)
    assert code == 2 and 'relnotebook erase "Bob" --yes' in err
    code, out, err = run("erase", "Bob", "--yes", "--notebook", nb)
    assert (code, out, err) == (0, "Erased Bob Smith (Smith & Sons)\n", "")
    from relnotebook.core.models import Customer, Erasure

    assert [c.full_name for c in Customer.select()] == ["Chloé Dubois"]
    assert Erasure.select().count() == 1
    code, _, err = run("erase", "Bob", "--yes", "--notebook", nb)
    assert code == 1 and 'no customer matches "Bob"' in err
    # An erased person does not come back with an old contact file.
    code, out, _ = run("import", CONTACTS / "outlook_contacts.csv", "--notebook", nb)
    assert out == "added 1, merged 0, skipped 0, unchanged 1\n"


def test_a_json_export_imports_into_a_new_notebook(run, nb, tmp_path):
    assert run("import", *_contact_files(), "--notebook", nb)[0] == 0
    assert run("export", "json", tmp_path / "all.json", "--notebook", nb)[0] == 0
    code, out, err = run("import", tmp_path / "all.json", "--notebook", tmp_path / "new.sqlite")
    assert (code, out, err) == (0, "added 15, merged 0, skipped 0\n", "")
    code, out, _ = run("import", tmp_path / "all.json", "--notebook", tmp_path / "new.sqlite")
    assert (code, out) == (0, "added 0, merged 0, skipped 0, unchanged 15\n")
