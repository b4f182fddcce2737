"""Word lists for demo notebooks (``demo.py``): names, companies and note templates.

Plain data, no logic beyond splitting the compact notations below once at import:

- a name token is ``native:romanised`` for names in another script (just ``name`` for Latin
  script), ``_`` stands for a space inside a name ("María_José"), and a family name that
  changes with gender is written ``masculine/feminine`` ("Kowalski/Kowalska");
- a phone pattern's ``#`` is one random digit.

Every text here is checked by the demo's tests through the real quick-capture parser, so a
template that would be misread (a stray "by Friday" or "3 May" in a detail) shows up there.
Domains end in ``.example`` and links point to ``example.com``: nothing leads anywhere real.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    native: tuple[str, str]  # masculine, feminine (the same when the name does not change)
    roman: tuple[str, str]


@dataclass(frozen=True)
class Culture:
    key: str
    weight: int
    region: str  # a tag
    given_f: tuple[Name, ...]
    given_m: tuple[Name, ...]
    family: tuple[Name, ...]
    order: str  # "gf" given family, "fg" family given, "fg_tight" family given without space
    roman_order: str  # the order of the romanised form
    p_native: float  # how often the name is written in its own script (0 for Latin cultures)
    stems: tuple[str, ...]
    suffixes: tuple[str, ...]
    native_companies: tuple[str, ...]
    phone: str
    currency: str
    cities: tuple[str, ...]
    topics: tuple[tuple[str, str], ...]
    titles: tuple[str, ...]
    formal: float  # share of customers who prefer a formal tone
    double_family: float = 0.0  # Spanish-style two family names


def _names(spec: str) -> tuple[Name, ...]:
    out = []
    for token in spec.split():
        native, _, roman = token.partition(":")
        roman = roman or native
        nm, _, nf = native.replace("_", " ").partition("/")
        rm, _, rf = roman.replace("_", " ").partition("/")
        out.append(Name((nm, nf or nm), (rm, rf or rm)))
    return tuple(out)


def _words(spec: str) -> tuple[str, ...]:
    return tuple(w.replace("_", " ") for w in spec.split())


def _lines(spec: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in spec.strip().splitlines() if line.strip())


def _semis(spec: str) -> tuple[str, ...]:
    return tuple(item for item in spec.split(";") if item)


def _pairs(spec: str) -> tuple[tuple[str, str], ...]:
    return tuple((a.strip(), b.strip()) for a, b in (line.split("|") for line in _lines(spec)))


def _c(key, weight, region, given_f, given_m, family, *, order="gf", roman_order="gf",
       p_native=0.0, stems="", suffixes="", native_companies="", phone="", currency="EUR",
       cities="", topics="", titles="", formal=0.3, double_family=0.0) -> Culture:
    return Culture(key, weight, region, _names(given_f), _names(given_m), _names(family), order,
                   roman_order, p_native, _words(stems), _words(suffixes),
                   _words(native_companies), phone, currency, _words(cities), _pairs(topics),
                   _semis(titles), formal, double_family)


CULTURES: tuple[Culture, ...] = (
    _c("nordic", 12, "Nordics",
       "Sigrid Åsa Ingrid Kjersti Solveig Lærke Astrid Zoë Ragnhild Maja Siv Tone",
       "Øystein Bjørn Mads Søren Håkon Jørgen Anders Magnus Torbjørn Ægir Ståle Pål",
       "Sæther Bråten Østby Lindqvist Ångström Kjær Møller Dahl Haugen Åberg Sørensen Nygård "
       "Bækgaard Strøm Løvås Hägglund",
       stems="Fjordlys Nordvik Havbris Skjærgård Østlandet Polarlys Bølgen Fjellstue Kystlinje",
       suffixes="AS AB ApS Oy", phone="+47 ### ## ###", currency="NOK",
       cities="Oslo Bergen Trondheim Göteborg Malmö Aarhus København Tromsø Stavanger",
       topics="logistikk|logistics up north\nanbud|the public tender (anbud)",
       titles="Innkjøpssjef;Daglig leder;Driftssjef", formal=0.1),
    _c("german", 12, "DACH",
       "Sabine Käthe Ursula Franziska Anja Jana Lena Bärbel Jördis Annegret",
       "Jürgen Matthias Jörg Günther Maximilian Lutz Sören Björn Ulrich Klaus",
       "Müller Groß Weiß Schäfer Strauß Köhler Hoffmann Bäcker Schröder Fußmann Krämer Jäger "
       "Voß Lößner",
       stems="Rheintal Alpenblick Nordstern Hanse Schwarzwald Isartal Elbtal Bergland Donau",
       suffixes="GmbH AG KG GmbH_&_Co._KG", phone="+49 ### #######",
       cities="München Köln Düsseldorf Zürich Wien Stuttgart Nürnberg Göttingen Graz",
       topics="Lieferzeit|lead times (Lieferzeit)\nAusschreibung|the tender (Ausschreibung)",
       titles="Einkaufsleitung;Geschäftsführung;Leiter Logistik", formal=0.6),
    _c("polish", 6, "CEE",
       "Małgorzata Agnieszka Zofia Katarzyna Joanna Ewa Bożena Jadwiga",
       "Łukasz Paweł Michał Wojciech Krzysztof Tomasz Grzegorz Jędrzej",
       "Kowalski/Kowalska Nowak Wiśniewski/Wiśniewska Łapiński/Łapińska "
       "Michałowski/Michałowska Zieliński/Zielińska Grabowski/Grabowska Król Wróbel "
       "Szczęsny/Szczęsna Jabłoński/Jabłońska",
       stems="Wisła Bałtyk Mazowsze Tatry Orlen-Serwis Jantar Pomorze Śląsk",
       suffixes="Sp._z_o.o. S.A.", phone="+48 ### ### ###", currency="PLN",
       cities="Kraków Łódź Gdańsk Wrocław Poznań Warszawa Szczecin",
       topics="przetarg|the tender (przetarg)", titles="Kierownik zakupów;Dyrektor operacyjny",
       formal=0.5),
    _c("vietnamese", 4, "APAC",
       "Thị_Lan Thu_Hà Ngọc_Ánh Minh_Châu Thanh_Hương Thị_Mai Bảo_Ngọc",
       "Văn_Đức Quốc_Bảo Đức_Anh Minh_Tuấn Hoàng_Nam Văn_Hùng Quang_Huy",
       "Nguyễn Trần Lê Phạm Đặng Đỗ Bùi Võ Hoàng Huỳnh",
       order="fg", roman_order="fg",
       stems="Sông_Hồng Sài_Gòn Đông_Á Hà_Thành Phú_Mỹ Việt_Tiến",
       suffixes="JSC Co.,_Ltd.", phone="+84 ## ### ####", currency="VND",
       cities="Hà_Nội Hồ_Chí_Minh Đà_Nẵng Hải_Phòng", formal=0.4),
    _c("serbian", 3, "CEE",
       "Милица:Milica Јелена:Jelena Ана:Ana Снежана:Snežana Драгана:Dragana",
       "Ђорђе:Đorđe Драган:Dragan Никола:Nikola Вук:Vuk Милош:Miloš Небојша:Nebojša",
       "Петровић:Petrović Јовановић:Jovanović Ђукић:Đukić Николић:Nikolić Марковић:Marković "
       "Ђорђевић:Đorđević Стојановић:Stojanović",
       p_native=0.3, stems="Dunav Šumadija Morava Zlatibor Đerdap", suffixes="d.o.o. a.d.",
       phone="+381 ## ### ####", currency="RSD", cities="Beograd Novi_Sad Niš Kragujevac",
       formal=0.3),
    _c("japanese", 5, "APAC",
       "花子:Hanako 美咲:Misaki 由美:Yumi 陽子:Yoko 恵:Megumi さくら:Sakura 直美:Naomi",
       "健:Ken 大輔:Daisuke 翔太:Shota 誠:Makoto 拓也:Takuya 浩:Hiroshi 健一:Kenichi",
       "山田:Yamada 佐藤:Sato 鈴木:Suzuki 高橋:Takahashi 田中:Tanaka 渡辺:Watanabe 伊藤:Ito "
       "中村:Nakamura",
       order="fg", roman_order="gf", p_native=0.6,
       stems="Towa Hokuto Midori Nisshin Asahi Sakura Yamato", suffixes="K.K. Co.,_Ltd.",
       native_companies="東和精機株式会社 株式会社山田商事 ミドリ食品株式会社 日進物流株式会社 "
                        "北斗電子株式会社",
       phone="+81 ##-####-####", currency="JPY", cities="Tokyo Osaka Nagoya Yokohama Fukuoka",
       topics="納期|delivery dates (納期)", titles="購買部長;営業部長", formal=0.85),
    _c("chinese", 5, "APAC",
       "秀英:Xiuying 静:Jing 敏:Min 丽娜:Lina 晓燕:Xiaoyan 芳:Fang 慧敏:Huimin",
       "伟:Wei 磊:Lei 建华:Jianhua 晓明:Xiaoming 俊杰:Junjie 志强:Zhiqiang 浩然:Haoran",
       "王:Wang 李:Li 张:Zhang 刘:Liu 陈:Chen 杨:Yang 黄:Huang 赵:Zhao 周:Zhou",
       order="fg_tight", roman_order="fg", p_native=0.55,
       stems="Huaxin Changjiang Hongda Jinhai Dongfang Xinda", suffixes="Co.,_Ltd. Group",
       native_companies="华信贸易有限公司 长江物流有限公司 宏达机械有限公司 深圳创新电子有限公司",
       phone="+86 ### #### ####", currency="CNY", cities="Shanghai Shenzhen Guangzhou Ningbo "
       "Suzhou", topics="交货期|the delivery schedule (交货期)", titles="采购经理", formal=0.6),
    _c("korean", 4, "APAC",
       "서연:Seo-yeon 지은:Ji-eun 수빈:Su-bin 민지:Min-ji 하은:Ha-eun 유진:Yu-jin",
       "민준:Min-jun 지훈:Ji-hoon 현우:Hyun-woo 성민:Sung-min 도윤:Do-yoon 재현:Jae-hyun",
       "김:Kim 이:Lee 박:Park 최:Choi 정:Jung 강:Kang 윤:Yoon 한:Han",
       order="fg_tight", roman_order="fg", p_native=0.55,
       stems="Hanbit Daesung Saehan Dongyang Mirae", suffixes="Co.,_Ltd. Corp.",
       native_companies="한빛물산 대성전자_주식회사 새한물류 동양기계_주식회사",
       phone="+82 ##-####-####", currency="KRW", cities="Seoul Busan Incheon Daegu",
       formal=0.75),
    _c("arabic", 5, "MENA",
       "ليلى:Layla فاطمة:Fatima نور:Nour مريم:Maryam سارة:Sara هدى:Huda",
       "عمر:Omar يوسف:Youssef كريم:Karim خالد:Khaled أحمد:Ahmed طارق:Tariq",
       "حداد:Haddad منصور:Mansour خليل:Khalil الفاسي:Al-Fassi سعيد:Saeed النجار:Al-Najjar "
       "العلي:Al-Ali",
       p_native=0.5, stems="Al-Noor Gulf_Horizon Al-Waha Desert_Rose Al-Fajr",
       suffixes="LLC FZE Trading_LLC",
       native_companies="شركة_النخبة_للتجارة شركة_الأفق_للهندسة شركة_الخليج_للخدمات_اللوجستية",
       phone="+971 ## ### ####", currency="AED", cities="Dubai Abu_Dhabi Riyadh Doha Amman "
       "Casablanca", formal=0.55),
    _c("indian", 6, "India",
       "प्रिया:Priya अनीता:Anita सुनीता:Sunita दीपिका:Deepika कविता:Kavita नेहा:Neha",
       "राहुल:Rahul विक्रम:Vikram अर्जुन:Arjun आदित्य:Aditya संजय:Sanjay रोहन:Rohan",
       "शर्मा:Sharma वर्मा:Verma गुप्ता:Gupta सिंह:Singh पटेल:Patel मेहता:Mehta अय्यर:Iyer "
       "रेड्डी:Reddy",
       p_native=0.35, stems="Sahyadri Ganga Indus Deccan Kaveri Himalaya",
       suffixes="Pvt._Ltd. Ltd.", phone="+91 ##### #####", currency="INR",
       cities="Mumbai Pune Bengaluru Chennai Ahmedabad Hyderabad", formal=0.45),
    _c("greek", 3, "South Europe",
       "Ελένη:Eleni Μαρία:Maria Κατερίνα:Katerina Σοφία:Sofia Δέσποινα:Despoina",
       "Γιώργος:Giorgos Δημήτρης:Dimitris Νίκος:Nikos Κώστας:Kostas Αλέξανδρος:Alexandros",
       "Παπαδόπουλος/Παπαδοπούλου:Papadopoulos/Papadopoulou Οικονόμου:Oikonomou "
       "Γεωργίου:Georgiou Νικολάου:Nikolaou Βλάχος/Βλάχου:Vlachos/Vlachou "
       "Κωνσταντινίδης/Κωνσταντινίδου:Konstantinidis/Konstantinidou",
       p_native=0.5, stems="Aegean Olympos Ionian Kriti Delta", suffixes="S.A. IKE",
       phone="+30 ### ### ####", cities="Athens Thessaloniki Patras Heraklion", formal=0.35),
    _c("cyrillic", 4, "CEE",
       "Анна:Anna Ольга:Olga Ирина:Irina Наталья:Natalya Оксана:Oksana Елена:Elena",
       "Дмитрий:Dmitry Олег:Oleg Сергей:Sergey Андрій:Andriy Иван:Ivan Михаил:Mikhail",
       "Иванов/Иванова:Ivanov/Ivanova Петров/Петрова:Petrov/Petrova Коваленко:Kovalenko "
       "Волков/Волкова:Volkov/Volkova Шевченко:Shevchenko Георгиев/Георгиева:Georgiev/Georgieva",
       p_native=0.6, stems="Balkan Dnipro Vitosha Karpaty Chernomor", suffixes="OOD EOOD LLC",
       native_companies="ООО_«Северный_Ветер» ТОВ_«Дніпро-Логістик» «Витоша_Инженеринг»_ООД",
       phone="+359 ## ### ####", currency="BGN", cities="Sofia Plovdiv Varna Kyiv Lviv",
       formal=0.5),
    _c("iberian", 8, "Iberia & LatAm",
       "María_José Lucía Ángela Inês Conceição Mariana Begoña Ximena",
       "José Joaquín Sebastián João Gonçalo Álvaro Íñigo Tomás",
       "García Muñoz Peña Ibáñez Gonçalves Araújo Magalhães Fernández Núñez Sánchez Carvalho",
       double_family=0.35, stems="Ibérica Atlántico Sierra Levante Tejo Andina Pampa",
       suffixes="S.A. S.L. Lda. Ltda.", phone="+34 ### ### ###",
       cities="Madrid Sevilla Bilbao Lisboa Porto São_Paulo Ciudad_de_México Valparaíso",
       titles="Director de Compras;Gerente de Operaciones", formal=0.3),
    _c("nigerian", 4, "Africa",
       "Ngozi Adaeze Folake Chiamaka Ifeoma Yetunde Funmilayo Ọlábísí",
       "Chinedu Emeka Oluwaseun Tunde Babatunde Adéwálé Obinna Ikechukwu",
       "Okonkwo Adeyemi Eze Okafor Balogun Nwosu Adebayo Obi Ọlátúnjí Ogunleye",
       stems="Niger_Delta Lekki Eko Zuma Savannah", suffixes="Ltd. Plc",
       phone="+234 ### ### ####", currency="NGN", cities="Lagos Abuja Port_Harcourt Ibadan",
       formal=0.4),
    _c("irish", 5, "UK & Ireland",
       "Siobhán Niamh Aoife Gráinne Orla Caoimhe Róisín",
       "Seán Pádraig Ciarán Eoin Cathal Darragh Tadhg",
       "O'Brien O'Sullivan McCarthy Fitzgerald Byrne Kavanagh O'Neill "
       "Ó_Ceallaigh/Ní_Cheallaigh Mac_Giolla",
       stems="Shannon Liffey Wicklow Atlantic_Edge Connemara", suffixes="Ltd. DAC",
       phone="+353 ## ### ####", cities="Dublin Cork Galway Limerick Belfast", formal=0.15),
    _c("french", 7, "France & Benelux",
       "Hélène Amélie Cécile Thérèse Léa Éloïse Margaux Anaïs",
       "François Jérôme Benoît Noël Théo Étienne Loïc Gaëtan",
       "Lefèvre Dubois Mercier Rousseau Gauthier Bélanger Lemaître Côté Fontaine Chevalier",
       stems="Loire Provence Bretagne Mistral Vosges Rhône Garonne", suffixes="SAS SARL S.A.",
       phone="+33 # ## ## ## ##", cities="Lyon Paris Nantes Montréal Genève Lille Bordeaux",
       titles="Responsable achats;Directrice des opérations", formal=0.55),
    _c("turkish", 4, "MENA",
       "Ayşe Çağla Şule Özge Elif Gülşen Zeynep",
       "Mehmet Gökhan Emre İlker Barış Oğuz Çağrı",
       "Yılmaz Öztürk Çelik Şahin Doğan Aydın Kılıç Arslan",
       stems="Anadolu Boğaziçi Ege Marmara Kapadokya", suffixes="A.Ş. Ltd._Şti.",
       phone="+90 ### ### ## ##", currency="TRY", cities="İstanbul İzmir Ankara Bursa",
       formal=0.5),
    _c("english", 12, "North America & UK",
       "Jennifer Sarah Emily Aisha Rachel Olivia Grace Keisha",
       "Michael David Robert Marcus James Daniel Tom DeShawn",
       "Johnson Williams Brown Smith Taylor Anderson Thompson Clarke Hughes Walker",
       stems="Lakeside Summit Redwood Harbor Keystone Bluewater Granite Meridian",
       suffixes="Inc. LLC Ltd plc", phone="+1 ###-###-####", currency="USD",
       cities="Chicago Manchester Leeds Boston Toronto Austin Denver", formal=0.2),
    _c("dutch", 5, "France & Benelux",
       "Saskia Femke Anouk Marieke Sanne Lotte Ineke",
       "Joost Maarten Bram Sjoerd Pieter Daan Gert-Jan",
       "van_der_Berg de_Vries van_Dijk Jansen Bakker de_Jong Visser Smit IJsselmuiden",
       stems="Polder Maasdelta Zeeland Veluwe Waddenzee Hollandia", suffixes="B.V. N.V.",
       phone="+31 ## ### ####", cities="Rotterdam Utrecht Eindhoven Antwerpen Amsterdam Gent",
       formal=0.15),
)

# Units of each currency per euro, roughly: amounts look right in every currency.
CURRENCY_SCALE = {
    "EUR": 1, "NOK": 11, "PLN": 4, "VND": 27000, "RSD": 117, "JPY": 160, "CNY": 8, "KRW": 1450,
    "AED": 4, "INR": 90, "BGN": 2, "NGN": 1600, "TRY": 35, "USD": 1, "GBP": 1,
}

INDUSTRIES = _words("Logistics Marine Foods Engineering Packaging Medical Components Energy "
                    "Retail Systems Textiles Agritech Hydraulics Furniture Robotics Pharma")
TITLES = _semis("Head of Procurement;Purchasing Manager;Category Manager;Operations Director;"
               "CFO;CEO;Owner;Supply Chain Lead;IT Manager;Facilities Manager;Buyer;"
               "Senior Buyer;Managing Director;Plant Manager;Marketing Director;"
               "Head of Logistics;Project Manager;Quality Manager")
DEPARTMENTS = _semis("Procurement;Operations;Finance;Logistics;IT;Production;Quality;"
                    "Facilities")
TAGS = _words("distributor OEM reseller end-customer pilot renewal-due newsletter "
              "trade-fair-lead reference-customer multi-site public-sector")
MOODS = ("", "", "warm", "upbeat", "neutral", "rushed", "tense", "curious", "relaxed")
CHANNELS = ("call", "meeting", "video", "email", "visit", "message")
CHANNEL_WEIGHTS = (40, 12, 14, 20, 6, 8)
# Chance that an attempt on this channel reaches the customer.
REACH = {"call": 0.83, "meeting": 0.98, "video": 0.95, "email": 0.9, "visit": 0.95,
         "message": 0.9}

TOPICS = _pairs("""
pricing|pricing for next year
renewal|the contract renewal
delivery|delivery times
budget|their budget for next year
contract|the framework contract
support|the open support tickets
training|training for the new team
expansion|their expansion plans
sustainability|the sustainability report
integration|the ERP integration
forecast|the volume forecast
samples|the new samples
quality|the quality issue on the last batch
warranty|a warranty claim
tender|the upcoming tender
new-warehouse|the new warehouse
spare-parts|spare parts stock
pilot|the pilot project
invoicing|an invoicing mix-up
trade-fair|the trade fair
packaging|the packaging change
compliance|the compliance paperwork
roadmap|our product roadmap
service-level|the service-level agreement
onboarding|onboarding their new buyer
reorganisation|their reorganisation
competitors|what competitors are offering
case-study|a joint case study
references|references from similar customers
installation|the installation schedule
""")

SUMMARIES = _lines("""
Talked through {p}
Went over {p} with {n}
Quick check-in on {p}
{n} called about {p}
Long call, mostly about {p}
Caught up on {p}
Walked {n} through {p}
Follow-up on {p}
Discussed {p} with {n} and the team
Short call about {p}
Lunch with {n}, mostly about {p}
{n} raised {p}
Good conversation about {p}
Went through {p} line by line
""")
WRITTEN = _lines("""
Email thread about {p}
{n} wrote about {p}
Sent notes on {p}, {n} replied
Messages back and forth about {p}
""")
CONTEXT = _lines("""
They are busy with the year-end close.
Sounded relaxed, just back from holiday.
Two people from finance joined for the second half.
Started late, {n} had another meeting running over.
Very open today, more than usual.
Kept it short, {n} was travelling.
Their new assistant joined and took notes.
The line was bad, we switched to video halfway.
Mostly numbers today, little small talk.
{n} had clearly read the proposal before the call.
""")
UNREACHED = {
    "call": _lines("No answer, left a voicemail\nTried to call, went straight to voicemail\n"
                   "Rang twice, no answer\nLine busy, will try another day"),
    "video": _lines("{n} did not join the video call\nVideo call link expired, nobody joined"),
    "meeting": _lines("Meeting cancelled at short notice\n{n} had to cancel, family matter"),
    "visit": _lines("Dropped by, {n} was out of the office\nVisit cancelled, their site closed"),
    "email": _lines("No reply to my email about {p}\nSent a follow-up email, no answer yet"),
    "message": _lines("Message about {p} not answered\nNo reply to my message"),
}
FIRST_MEETING = _lines("""
First meeting, we met at {w}
First proper conversation after meeting at {w}
Intro call after {w}
""")
MILESTONES = _lines("""
Signed the framework agreement
First order delivered, all on time
They renewed for three more years
Site visit at their new plant
Joint workshop with their whole team
They agreed to be a reference customer
Won the tender together
""")
MET_WHERE = _lines("""
the trade fair in {c}
a customer event in {c}
a LinkedIn introduction
a conference in {c}
their inbound request on our website
a webinar on supply chains
a dinner organised by the chamber of commerce in {c}
a cold call that went surprisingly well
a referral from a colleague
""")

MY_FOLLOWUPS = _lines("""
send the revised quote
share the case study from a similar customer
book a demo with our engineer
check stock for the spare parts
introduce {n} to our logistics team
send the updated price list
confirm the delivery window
prepare a proposal for the pilot
sort out the invoice question with accounting
send a summary of today's call
send the contract by email
arrange a visit to our factory
ask product management about the roadmap date
find a reference customer in their industry
send the training schedule
""")
THEIR_FOLLOWUPS = _lines("""
send the PO
confirm volumes for next quarter
share the technical requirements
get sign-off from finance
send feedback on the samples
introduce me to their new CFO
check the budget with their board
send the signed contract
share the floor plan of the new warehouse
confirm who joins the workshop
""")
DUE_WORDS = ("Friday", "Monday", "Thursday", "tomorrow", "next week", "end of month",
             "end of next month", "in 2 weeks", "in 10 days", "in 3 weeks")
DONE_ALREADY = _lines("""
sent the brochure they asked for
booked the meeting room for the workshop
shared the slides from the call
""")
QUESTIONS = _lines("""
how did the trial go at their second site
who else is involved in the decision
what does good service look like for them
are they happy with the current delivery times
when does their budget year start
when does the current contract run out
what would make them switch suppliers
how is the new team settling in
is the expansion still on track
which competitor are they talking to
what keeps them up at night this quarter
how do they measure success for the pilot
""")
DETAILS = {
    "family": _lines("""
two kids, the eldest just started school
daughter {g} is getting married in the summer
wife runs a small bakery
husband is a nurse on night shifts
looks after an elderly father
son {g} plays ice hockey
newborn at home, sleeping little
twins starting university this autumn
"""),
    "pet": _lines("border collie called Loki\ntwo cats who walk over the keyboard in calls\n"
                  "a horse they ride at weekends\nadopted a rescue dog"),
    "hobby": _lines("runs marathons\nsails on weekends\nplays in a brass band\n"
                    "amateur photographer\nkeen cyclist, rides to work\nbirdwatching\n"
                    "restores old motorbikes"),
    "interest": _lines("follows {club} closely\njazz, goes to every festival\nFormula 1\n"
                       "history podcasts\nwine from Portugal\nchess, plays online at night"),
    "food": _lines("vegetarian, loves the vegetarian recipes I sent\nloves spicy food\n"
                   "no alcohol\ncoffee snob, espresso only\ngluten-free\nsweet tooth"),
    "life": _lines("moving house in spring\ntraining for a marathon\n"
                   "back from parental leave\nrenovating their summer house\n"
                   "studying for an MBA in the evenings"),
    "other": _lines("prefers tea to coffee\nleft-handed, sits on the left in meetings\n"
                    "speaks four languages\nalways on the early train"),
}
DETAIL_MARKER = {"family": "family", "pet": "pet", "hobby": "hobby", "interest": "interest",
                 "food": "food", "life": "life", "other": "detail", "date": "date"}
CLUBS = _words("Rosenborg Borussia_Dortmund Lech_Poznań Galatasaray Celtic Ajax Benfica "
               "Olympiacos Crvena_zvezda Urawa_Reds Enyimba Boca_Juniors")
MONTHS = _words("January February March April May June July August September October "
                "November December")
ANNIVERSARIES = ("work anniversary", "wedding anniversary", "company founded on")

FACTS = {
    "hot": _lines("delivery reliability\ntotal cost of ownership\nsustainability credentials\n"
                  "fast support response\nprice, price, price\nlocal service people\n"
                  "not being the first to try something new"),
    "timeline": _lines("budget approved for the third quarter\ndecision before the summer "
                       "holidays\nframework tender in the autumn\nreplacing the old line next "
                       "year\nno decision until the new CFO starts"),
    "need": _lines("a second supplier for resilience\ntraining for new staff\nspare parts "
                   "within 48 hours\nintegration with their ERP\nbetter reporting for their "
                   "board\nsmaller, more frequent deliveries"),
    "expects": _lines("a named contact who picks up the phone\nquarterly reviews\ninvoices "
                      "that match the PO\nno surprises on delivery dates\nhonest answers, "
                      "even bad news"),
    "agenda": _lines("cutting costs ten percent this year\nopening a new warehouse\nproving "
                     "the pilot to their board\nconsolidating suppliers\ngetting ready for a "
                     "sale of the company"),
}
STYLE_NOTES = _lines("""
prefers a short email summary after every call
likes numbers first, then the story
warms up after a few minutes of small talk about football
do not call before 10, they start late
formal, use the surname until they offer otherwise
hates long slide decks
thinks out loud, give them time
wants the agenda in advance
""")
UNSAID = _lines("""
did not mention the competitor's offer
hesitated when I asked about budget
avoided the question about the reorganisation
went quiet when the delivery issue came up
never talks about their boss
changed the subject when I mentioned the renewal
""")
SEND = _lines("""
article on cold-chain logistics https://example.com/articles/cold-chain
the book on negotiation we talked about
vegetarian recipe collection https://example.com/recipes/vegetarian
tickets for the trade fair
congratulations card for the new office
our benchmark report https://example.com/reports/benchmark
a good podcast episode on leadership https://example.com/podcast/leadership
photos from the workshop
""")
REACTIONS = ("loved it", "sent a thank-you note", "mentioned it on the next call", "",
             "shared it with the team", "no reaction yet")
PURCHASES = _lines("""
spare parts kit
annual service contract
pallet racking for the new hall
sensor package
licence renewal
training day for six people
replacement pumps
packaging materials
pilot installation
maintenance visit
extension of the framework order
""")
BEST_TIME = _lines("""
mornings
after 10:00
Tuesday afternoons
before lunch
Fridays are quiet
never Mondays
late afternoon, after the production meeting
early, before the office fills up
""")
LEAD_NOTES = _lines("""
let them open; they always start with their agenda
lets you know when time is up
starts with the numbers
wants to hear the bad news first
needs time to think, do not push for a decision on the call
""")
AVOID = _lines("""
politics
the delivery fiasco two years ago
their former CEO
football, supports the rival club
the merger rumours
""")
ABOUT = _lines("""
Runs purchasing for several sites.
Joined from a competitor, knows the market well.
Decides alone up to a budget limit, above that the board.
Pragmatic, values reliability over price.
Long-time customer, loyal but price-aware.
Engineer by training, asks detailed technical questions.
""")
DRAFT = "Prep for the call:\n#renewal\n? what changed since the reorganisation\n[ ] "
