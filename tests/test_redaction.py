"""Redaction of case narratives: the parties' known data, then patterns, on text written the way people write."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.redaction import Labels, Party, redact_narrative
from backend.surveys.redaction import redact

RESIDENT = Party(
    role="[resident]",
    names=("Sam Okafor",),
    emails=("sam.okafor@gmail.com",),
    phones=("07700 900123",),
    addresses=("Flat 3, 12 Mill Lane, Leeds",),
    postcodes=("LS6 2DX",),
)
DAUGHTER = Party(role="[representative]", names=("Grace Adeyemi",), phones=("07700 900456",))
COUNCILLOR = Party(role="[representative]", names=("Cllr Peter Lowe",), emails=("peter.lowe@leeds.gov.uk",))
HANDLER = Party(
    role="[case handler]", names=("Tom Reid",), emails=("t.reid@learnloop-housing.org.uk",), phones=("0113 496 0000",)
)
BENEFITS_RESIDENT = Party(role="[resident]", names=("Mohammed Khan",))
NEIGHBOUR_COMPLAINANT = Party(role="[resident]", names=("May Brown",))
WELSH_RESIDENT = Party(role="[preswylydd]", names=("Siân Hughes",), postcodes=("CF10 1AA",))
WELSH_LABELS = Labels(
    email="[cyfeiriad e-bost]",
    phone="[rhif ffôn]",
    postcode="[cod post]",
    address="[cyfeiriad]",
    ni_number="[rhif Yswiriant Gwladol]",
    name="[enw]",
    number="[rhif]",
)

NARRATIVES = [
    pytest.param(
        "hi my name is Sam Okafor and i live at flat 3, 12 mill lane leeds ls6 2dx. The damp in my sons bedroom has "
        "been there since 12/03/2026 and nobody came. Mr Okafor's neighbour at 14 Mill Lane has it to. ring me on "
        "07700900123 or email sam.okafor@gmail.com",
        [RESIDENT],
        Labels(),
        "hi my name is [resident] and i live at [address] [postcode]. The damp in my sons bedroom has "
        "been there since 12/03/2026 and nobody came. [resident]'s neighbour at [address] has it to. ring me on "
        "[phone number] or email [email address]",
        id="resident-damp-lower-case",
    ),
    pytest.param(
        "I am writing on behalf of my mum Mrs S. Okafor. My name is Grace Adeyemi (her daughter) and you can reach "
        "me on +44 (0)7700 900 456 or grace.a@outlook.com. Grace is her main carer. Mum cant use the phone so please "
        "call me not her.",
        [RESIDENT, DAUGHTER],
        Labels(),
        "I am writing on behalf of my mum [resident]. My name is [representative] (her daughter) and you can reach "
        "me on [phone number] or [email address]. [representative] is her main carer. Mum cant use the phone so "
        "please call me not her.",
        id="daughter-as-representative",
    ),
    pytest.param(
        "Cllr Peter Lowe has asked me to chase this. Councillor Lowe's office (peter.lowe@leeds.gov.uk, 0113 378 4000) "
        "was told the repair was booked for 10:30 on 2026-03-12 but no-one came. Our ref is LL-2026-00042.",
        [RESIDENT, COUNCILLOR],
        Labels(),
        "[representative] has asked me to chase this. [representative]'s office ([email address], [phone number]) "
        "was told the repair was booked for 10:30 on 2026-03-12 but no-one came. Our ref is LL-2026-00042.",
        id="councillor-chasing",
    ),
    pytest.param(
        "Spoke to Mr Okafor 14:05. He says T. Reid promised a call back. Tom has now logged a stage 2. Tenancy no "
        "00123456, rent account 4412 8890 1234. Compensation offered £250.00. Call Tom on (0113) 496 0000 ext 12.",
        [RESIDENT, HANDLER],
        Labels(),
        "Spoke to [resident] 14:05. He says [case handler] promised a call back. [case handler] has now logged a "
        "stage 2. Tenancy no [number], rent account [number]. Compensation offered £250.00. Call [case handler] on "
        "[phone number] ext 12.",
        id="case-handler-notes",
    ),
    pytest.param(
        "My housing benefit stopped in jan. My NI number is QQ 12 34 56 C and my partners is jh123456a. Universal "
        "credit say the landlord never sent the rent statement. I have a 2 year old and we are at 27b Ashfield "
        "Terrace, bradford BD7 1DP.\nRegards, Mohammed Khan (Mr)",
        [BENEFITS_RESIDENT],
        Labels(),
        "My housing benefit stopped in jan. My NI number is [National Insurance number] and my partners is "
        "[National Insurance number]. Universal credit say the landlord never sent the rent statement. I have a 2 "
        "year old and we are at [address], bradford [postcode].\nRegards, [resident] (Mr)",
        id="benefits-ni-number",
    ),
    pytest.param(
        "Since the leak started in May 2026 the man at number 9 plays music til 3am. I reported it on 3 May and 12th "
        "May. May Brown (me) has called 0800 123 4567 five times. Mrs Patel next door at 11 Cherry Tree Close says "
        "the same, we may have to move.",
        [NEIGHBOUR_COMPLAINANT],
        Labels(),
        "Since the leak started in May 2026 the man at number 9 plays music til 3am. I reported it on 3 May and 12th "
        "May. [resident] (me) has called [phone number] five times. [name] next door at [address] says "
        "the same, we may have to move.",
        id="noise-name-that-is-a-month",
    ),
    pytest.param(
        "my phone is 07700-900-123 or (07700) 900123 or +447700900123 or 0044 7700 900123, my sons is 07 700 900 999. "
        "for the refund sort code 40-11-62 account 31926819.",
        [RESIDENT],
        Labels(),
        "my phone is [phone number] or [phone number] or [phone number] or [phone number], my sons is [phone number]. "
        "for the refund sort code [number] account [number].",
        id="phone-numbers-in-odd-formats",
    ),
    pytest.param(
        "Mae Siân Hughes yn byw yn 4 Heol y Bont, Caerdydd CF10 1AA. Ffoniwch hi ar 029 2018 0000 neu e-bostiwch "
        "sian.hughes@example.cymru. Dywedodd Sian fod y lleithder yn waeth.",
        [WELSH_RESIDENT],
        WELSH_LABELS,
        "Mae [preswylydd] yn byw yn [cyfeiriad], Caerdydd [cod post]. Ffoniwch hi ar [rhif ffôn] neu e-bostiwch "
        "[cyfeiriad e-bost]. Dywedodd [preswylydd] fod y lleithder yn waeth.",
        id="welsh-name-address-postcode",
    ),
    pytest.param(
        "The letter from Dr Patel's surgery came at 9.30am. I rang Tom  Reid and tom said hed book it. "
        "TOM REID then emailed me from t.reid@learnloop-housing.org.uk. I still have no heating at Flat 3,12 Mill Lane",
        [RESIDENT, HANDLER],
        Labels(),
        "The letter from [name]'s surgery came at 9.30am. I rang [case handler] and [case handler] said hed "
        "book it. [case handler] then emailed me from [email address]. I still have no heating at [address]",
        id="case-handler-any-case-and-spacing",
    ),
]


@pytest.mark.parametrize(("text", "parties", "labels", "expected"), NARRATIVES)
def test_redact_narrative_realistic_paragraphs(text: str, parties: list[Party], labels: Labels, expected: str) -> None:
    assert redact_narrative(text, parties, labels) == expected


@pytest.mark.parametrize(("text", "parties", "labels", "expected"), NARRATIVES)
def test_redact_narrative_realistic_paragraphs_are_stable(
    text: str, parties: list[Party], labels: Labels, expected: str
) -> None:
    assert redact_narrative(expected, parties, labels) == expected


# ---------------------------------------------------------------- known names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sam Okafor rang", "[resident] rang"),
        ("sam   okafor rang", "[resident] rang"),
        ("Sam\nOkafor rang", "[resident] rang"),
        ("Okafor rang", "[resident] rang"),
        ("Sam rang", "[resident] rang"),
        ("S. Okafor rang", "[resident] rang"),
        ("S Okafor rang", "[resident] rang"),
        ("S.Okafor rang", "[resident] rang"),
        ("Mrs Okafor rang", "[resident] rang"),
        ("Mr. Okafor rang", "[resident] rang"),
        ("Ms Sam Okafor rang", "[resident] rang"),
        ("Miss Okafor rang", "[resident] rang"),
        ("Dr Okafor rang", "[resident] rang"),
        ("Mx Okafor rang", "[resident] rang"),
        ("OKAFOR, Sam rang", "[resident] rang"),
        ("Okafor's flat", "[resident]'s flat"),
        ("Okafor’s flat", "[resident]’s flat"),
    ],
)
def test_known_name_forms_become_role_word(text: str, expected: str) -> None:
    assert redact_narrative(text, [RESIDENT]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Okaforson rang", "Okaforson rang"),
        ("Samuel rang", "Samuel rang"),
        ("Samantha rang", "Samantha rang"),
    ],
)
def test_known_name_only_whole_words(text: str, expected: str) -> None:
    assert redact_narrative(text, [RESIDENT]) == expected


def test_known_name_longest_first_across_parties() -> None:
    brother = Party(role="[relative]", names=("Sam Patel",))
    text = "Sam Okafor and Sam Patel came; Patel said Okafor was out."
    assert redact_narrative(text, [RESIDENT, brother]) == (
        "[resident] and [relative] came; [relative] said [resident] was out."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I will chase it and Bill will pay the bill", "I will chase it and [resident] will pay the bill"),
        ("the green mould is back", "the green mould is back"),
        ("Will Green rang", "[resident] rang"),
        ("will green rang", "[resident] rang"),
        ("Mr Green rang", "[resident] rang"),
        ("mr green rang", "[resident] rang"),
        ("GREEN rang", "[resident] rang"),
        ("Will rang", "[resident] rang"),
    ],
)
def test_common_word_names_alone_only_when_capitalised(text: str, expected: str) -> None:
    party = Party(role="[resident]", names=("Will Green", "Bill Green"))
    assert redact_narrative(text, [party]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 3 May", "on 3 May"),
        ("on the 3rd May", "on the 3rd May"),
        ("May 2026", "May 2026"),
        ("we may move", "we may move"),
        ("May rang", "[resident] rang"),
        ("May Brown rang", "[resident] rang"),
    ],
)
def test_month_first_name_keeps_dates(text: str, expected: str) -> None:
    assert redact_narrative(text, [NEIGHBOUR_COMPLAINANT]) == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Dafydd ap Gwilym", "Mr ap Gwilym and Dafydd ap Gwilym", "[resident] and [resident]"),
        ("Dafydd ap Gwilym", "ap is kept, Gwilym is not", "ap is kept, [resident] is not"),
        ("Aoife O'Brien", "Mrs O’Brien said", "[resident] said"),
        ("Jo Smith-Jones", "Ms Smith-Jones and Jones", "[resident] and [resident]"),
        ("Mrs Jo Bloggs", "Jo Bloggs rang", "[resident] rang"),
        ("J", "J rang", "J rang"),
    ],
)
def test_known_name_particles_apostrophes_hyphens_and_titles(name: str, text: str, expected: str) -> None:
    assert redact_narrative(text, [Party(role="[resident]", names=(name,))]) == expected


# ---------------------------------------------------------------- known contact details


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 07700 900123", "call [phone number]"),
        ("call 07700900123", "call [phone number]"),
        ("call 0770-090-0123", "call [phone number]"),
        ("call +44 7700 900123", "call [phone number]"),
        ("call +44 (0) 7700 900123", "call [phone number]"),
        ("call 7700 900123", "call [phone number]"),
        ("mail SAM.OKAFOR@GMAIL.COM", "mail [email address]"),
        ("at LS62DX", "at [postcode]"),
        ("at ls6  2dx", "at [postcode]"),
        ("at Flat 3, 12 Mill Lane, Leeds", "at [address]"),
        ("at 12 Mill Lane", "at [address]"),
        ("at flat 3 12 mill lane", "at [address]"),
        ("at 12 Mill Lane, Leeds", "at [address]"),
    ],
)
def test_known_contact_details_become_labels(text: str, expected: str) -> None:
    assert redact_narrative(text, [RESIDENT]) == expected


def test_known_details_skip_blank_and_missing_values() -> None:
    party = Party(role="[resident]", names=("", "  "), emails=("",), phones=(None,), postcodes=(" ",))  # type: ignore[arg-type]
    assert redact_narrative("nothing to see", [party]) == "nothing to see"


# ---------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email jo.bloggs+home@example.co.uk now", "email [email address] now"),
        ("email J_Bloggs@mail.example.org.", "email [email address]."),
    ],
)
def test_email_pattern_positive(text: str, expected: str) -> None:
    assert redact_narrative(text) == expected


@pytest.mark.parametrize("text", ["meet @ 3", "user@localhost", "a @ b.com"])
def test_email_pattern_negative(text: str) -> None:
    assert redact_narrative(text) == text


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "0113 496 0000",
        "(0113) 496 0000",
        "(0113)4960000",
        "020 7946 0000",
        "+44 20 7946 0000",
        "+44 (0)20 7946 0000",
        "+447700900123",
        "0044 7700 900123",
        "01632 960123",
        "0800 123 4567",
        "+353 1 234 5678",
    ],
)
def test_phone_pattern_positive(phone: str) -> None:
    assert redact_narrative(f"ring {phone} today") == "ring [phone number] today"


@pytest.mark.parametrize(
    "text",
    ["on 01/02/2026", "at 10:30", "ref 0113", "£0.50", "flat 07", "year 2026", "7700 900"],
)
def test_phone_pattern_negative(text: str) -> None:
    assert redact_narrative(text) == text


@pytest.mark.parametrize(
    "postcode", ["LS6 2DX", "ls6 2dx", "LS62DX", "EC1A 1BB", "M1 1AE", "W1A 0AX", "CR2 6XH", "DN55 1PT", "GIR 0AA"]
)
def test_postcode_pattern_positive(postcode: str) -> None:
    assert redact_narrative(f"at {postcode}.") == "at [postcode]."


@pytest.mark.parametrize("text", ["LS6", "room 12A", "A12 345", "covid19 test", "MP3 player", "ABC 1DE"])
def test_postcode_pattern_negative(text: str) -> None:
    assert redact_narrative(text) == text


@pytest.mark.parametrize(
    "ni_number",
    [
        "QQ 12 34 56 C",
        "QQ123456C",
        "AB123456C",
        "ab123456c",
        "AB 123456 D",
        "AB-12-34-56-A",
        "JH 12 34 56",
        "ZZ 12 34 56 A",
        "BG123456A",
        "GB 12 34 56 B",
        "TN123456C",
    ],
)
def test_ni_number_pattern_positive(ni_number: str) -> None:
    assert redact_narrative(f"NI: {ni_number}.") == "NI: [National Insurance number]."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DA 12 34 56 C", "DA [number] C"),  # D is never a first letter: not an NI number, but still digits hidden
        ("AO123456A", "AO[number]A"),  # O is never a second letter
        ("on 12 34 56", "on [number]"),  # lower-case word and spaced digits: a number, not an NI number
        ("on 2026-03-12", "on 2026-03-12"),
        ("AB12345C", "AB12345C"),  # five digits only
    ],
)
def test_ni_number_pattern_negative(text: str, expected: str) -> None:
    assert redact_narrative(text) == expected


@pytest.mark.parametrize(
    "address",
    [
        "12 Mill Lane",
        "12 mill lane",
        "Flat 3, 12 Mill Lane",
        "Flat 3b, 40 Hyde Park Road",
        "flat 3b 40 Hyde Park Road",
        "Apartment 2, 5 Oak Road",
        "27b Ashfield Terrace",
        "1-3 Station Approach Way",
        "14 Park View",
        "22b High St",
        "9 The Green",
        "101 St Anne's Mews",
        "4 Heol y Bont",
        "18 Ffordd Las",
    ],
)
def test_address_pattern_positive(address: str) -> None:
    assert redact_narrative(f"I live at {address}, Leeds") == "I live at [address], Leeds"


@pytest.mark.parametrize(
    "text",
    [
        "it was a 2 minute walk",
        "3 days in a row",
        "our 2 dogs walk past",
        "on 12 May Dr Green came",
        "3 Weeks later the Park flooded",
        "flat 3 has the same leak",
        "£12 Park fee",
        "I waited 40 minutes on the hill",
    ],
)
def test_address_pattern_negative(text: str) -> None:
    assert "[address]" not in redact_narrative(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mrs Patel said", "[name] said"),
        ("Mr A. Smith said", "[name] said"),
        ("Cllr Jones said", "[name] said"),
        ("Councillor Mary Jones said", "[name] said"),
        ("Y Cynghorydd Jones", "Y [name]"),
        ("Dear Sir/Madam", "Dear Sir/Madam"),
        ("the dr came", "the dr came"),
    ],
)
def test_titled_name_pattern(text: str, expected: str) -> None:
    assert redact_narrative(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("account 12345678", "account [number]"),
        ("tenancy 00123456", "tenancy [number]"),
        ("card 4412 8890 1234 5678", "card [number]"),
        ("sort code 40-11-62", "sort code [number]"),
        ("ref LL-2026-000042", "ref LL-2026-[number]"),
        ("REF123456", "REF[number]"),
    ],
)
def test_number_pattern_positive(text: str, expected: str) -> None:
    assert redact_narrative(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "on 12/03/2026",
        "on 2026-03-12",
        "on 12.03.2026",
        "on 12-03-26",
        "owed £1,250.00",
        "owed £1250000",
        "owed 1,250,000 pounds",
        "at 10:30:15",
        "at 9.30am",
        "ref LL-2026-00042",
        "stage 2 of 3",
        "12345",
        "between 2019 and 2020",
    ],
)
def test_number_pattern_negative(text: str) -> None:
    assert redact_narrative(text) == text


# ---------------------------------------------------------------- dates of birth


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB: 03/04/1961", "DOB: [date of birth]"),
        ("d.o.b. 03-04-61", "d.o.b. [date of birth]"),
        ("date of birth 1961-04-03", "date of birth [date of birth]"),
        ("Date of Birth - March 4th, 1961", "Date of Birth - [date of birth]"),
        ("she was born on 14 February 1961.", "she was born on [date of birth]."),
        ("his birthday is 3 May 1961", "his birthday is [date of birth]"),
        ("born 3rd of May 1961", "born [date of birth]"),
    ],
)
def test_date_of_birth_after_words_that_say_so(text: str, expected: str) -> None:
    assert redact_narrative(text) == expected
    assert Labels().date_of_birth in expected


@pytest.mark.parametrize(
    "text",
    ["the repair on 03/04/2026", "born in Leeds", "reborn 03/04/1961 is not a birthday", "booked for 3 May 2026"],
)
def test_date_of_birth_other_dates_kept(text: str) -> None:
    assert redact_narrative(text) == text


def test_date_of_birth_label_translated() -> None:
    labels = Labels(date_of_birth="[dyddiad geni]")
    assert redact_narrative("DOB 03/04/1961", labels=labels) == "DOB [dyddiad geni]"


# ---------------------------------------------------------------- organisations

CONTRACTORS = [
    Party(role="[contractor]", organisations=("Canaryworks Plumbing Ltd",)),
    Party(role="[contractor]", organisations=("Northern Gas Services Ltd",)),
    Party(role="[contractor]", organisations=("Smith & Sons Roofing Limited",)),
    Party(role="[contractor]", organisations=("Apex Ltd",)),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Canaryworks Plumbing Ltd's engineer came", "[contractor]'s engineer came"),
        ("canaryworks plumbing limited said", "[contractor] said"),
        ("Canaryworks\nPlumbing came", "[contractor] came"),
        ("CANARYWORKS came, then Canaryworks rang", "[contractor] came, then [contractor] rang"),
        ("northern gas services plc came", "[contractor] came"),
        ("Smith and Sons said", "[contractor] said"),
        ("Smith & Sons Roofing Ltd came", "[contractor] came"),
        ("Apex came", "[contractor] came"),
        ("apex limited came", "[contractor] came"),
    ],
)
def test_organisation_known_forms_become_role_word(text: str, expected: str) -> None:
    assert redact_narrative(text, CONTRACTORS) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the plumbing leaked",  # a trade word is never a name on its own
        "gas services were cut",
        "the Ltd was wound up",
        "Northern Ireland and Northern Gas",  # a one-word short name that is an everyday word is kept
        "up to the apex of the roof",  # a short name alone counts only as written with a capital
        "Smith said",
    ],
)
def test_organisation_words_alone_kept(text: str) -> None:
    assert redact_narrative(text, CONTRACTORS) == text


def test_organisation_with_person_names_longest_first() -> None:
    person = Party(role="[staff member]", names=("Sam Smith",))
    text = "Sam Smith of Smith & Sons Roofing Ltd said Smith would come."
    expected = "[staff member] of [contractor] said [staff member] would come."
    assert redact_narrative(text, [person, *CONTRACTORS]) == expected


# ---------------------------------------------------------------- labels, idempotency, the survey wrapper


def test_labels_translated_replace_pattern_matches() -> None:
    text = "ebost: a@b.cymru, ffôn 07700 900999, CF10 1AA, QQ123456C, 12 Mill Lane, Mrs Jones, 12345678"
    assert redact_narrative(text, labels=WELSH_LABELS) == (
        "ebost: [cyfeiriad e-bost], ffôn [rhif ffôn], [cod post], [rhif Yswiriant Gwladol], [cyfeiriad], [enw], [rhif]"
    )


def test_redact_narrative_leaves_existing_labels_alone() -> None:
    party = Party(role="[resident]", names=("Number Address",))
    text = "[address] [number] [resident] [phone number] [National Insurance number]"
    assert redact_narrative(text, [party]) == text


def test_redact_narrative_blank_role_uses_name_label() -> None:
    assert redact_narrative("Sam Okafor rang", [Party(role="", names=("Sam Okafor",))]) == "[name] rang"


def test_redact_narrative_empty_text() -> None:
    assert redact_narrative("") == ""


def test_survey_redact_keeps_short_labels_and_each_name_word() -> None:
    text = "Jane Smith, jane@example.org, 07700 900123, LS1 1AA, 12345678, QQ123456C"
    assert redact(text, ["Jane Smith"]) == (
        "[name] [name], [email], [phone], [postcode], [number], [National Insurance number]"
    )


# ---------------------------------------------------------------- properties

PARTIES = [RESIDENT, DAUGHTER, COUNCILLOR, HANDLER, NEIGHBOUR_COMPLAINANT]
KNOWN_DETAILS = [
    value for party in PARTIES for value in (*party.emails, *party.phones, *party.postcodes, *party.addresses)
]
FRAGMENTS = st.sampled_from(
    [
        *KNOWN_DETAILS,
        *(name for party in PARTIES for name in party.names),
        "Mrs Okafor's",
        "May",
        " ",
        "\n",
        ", ",
        "(",
        ")",
        "+44 ",
        "[resident]",
        "[phone number]",
        "12/03/2026",
        "£1,250.00",
        "10:30",
        "QQ 12 34 56 C",
        "LL-2026-00042",
        "12345678",
        "Flat 3, ",
        "0",
        "@",
        ".",
    ]
)
NARRATIVE_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=25).map("".join)
ANY_PARTY = st.builds(
    Party,
    role=st.text(max_size=12),
    names=st.lists(st.text(max_size=20), max_size=3).map(tuple),
    emails=st.lists(st.text(max_size=20), max_size=2).map(tuple),
    phones=st.lists(st.text(max_size=20), max_size=2).map(tuple),
    addresses=st.lists(st.text(max_size=30), max_size=2).map(tuple),
    postcodes=st.lists(st.text(max_size=10), max_size=2).map(tuple),
    organisations=st.lists(st.text(max_size=30), max_size=2).map(tuple),
)


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text(), parties=st.lists(ANY_PARTY, max_size=3))
def test_redact_narrative_never_raises_on_any_text_and_parties(text: str, parties: list[Party]) -> None:
    assert isinstance(redact_narrative(text, parties), str)


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.one_of(NARRATIVE_TEXT, st.text()))
def test_redact_narrative_idempotent(text: str) -> None:
    once = redact_narrative(text, PARTIES)
    assert redact_narrative(once, PARTIES) == once


@settings(max_examples=300, deadline=None, database=None)
@given(text=NARRATIVE_TEXT)
def test_redact_narrative_output_never_holds_known_details(text: str) -> None:
    redacted = redact_narrative(text, PARTIES).lower()
    for party in PARTIES:
        for value in (*party.emails, *party.phones, *party.postcodes):
            assert value.lower() not in redacted


@settings(max_examples=200, deadline=None, database=None)
@given(
    text=st.lists(
        st.one_of(st.sampled_from(["Canaryworks", " Plumbing", " Ltd", "'s", " & ", "Apex"]), FRAGMENTS), max_size=20
    ).map("".join)
)
def test_redact_narrative_idempotent_with_organisations(text: str) -> None:
    once = redact_narrative(text, [*PARTIES, *CONTRACTORS])
    assert redact_narrative(once, [*PARTIES, *CONTRACTORS]) == once
