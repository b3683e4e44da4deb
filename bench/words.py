"""The names, places and phrases the dataset is made from."""

from __future__ import annotations


def lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines())


THEMES = lines("""
    Anti-social behaviour
    Estate services
    Cleaning of communal areas
    Communication
    Complaint handling
    Damp and mould
    Heating and hot water
    Grounds maintenance
    Kitchens and bathrooms
    Lifts
    Lettings and allocations
    Missed appointments
    Neighbourhood safety
    Noise
    Pest control
    Rent and service charges
    Repairs quality
    Repairs speed
    Staff attitude
    Tenancy management
    Waste and recycling
    Windows and doors
    Accessibility and adaptations
    Welsh language services
""")
FIRST_NAMES = tuple(
    """
    Aisha Alex Amir Anna Ben Bethan Carys Chloe Dafydd Daniel Ellie Emma Gareth Grace Hannah Harry Ieuan Jack
    James Jasmine Kwame Laura Leah Liam Megan Mohammed Nia Oliver Priya Rhys Ruth Sam Sarah Sian Sophie Tariq
    Tom Wei Yusuf Zara
""".split()
)
# Common names first and most often, as in any register.
SURNAMES = tuple(
    """
    Jones Williams Smith Davies Evans Thomas Roberts Taylor Brown Wilson Hughes Lewis Morgan Walker Khan Patel
    Wright Green Hall Wood Clarke Edwards Ahmed Begum Murphy Campbell Kelly Price Owen Harris Nowak Okafor Singh
    Chen Ali Griffiths Rees Jenkins Powell Baker
""".split()
)
SURNAME_WEIGHTS = tuple(len(SURNAMES) - i for i in range(len(SURNAMES)))
STREETS = lines("""
    High Street
    Station Road
    Church Lane
    Park Avenue
    Mill Road
    Heol y Parc
    Victoria Road
    Queen Street
    Castle Close
    Meadow Way
    Ffordd yr Eglwys
    Orchard Court
""")
TOWNS = tuple(
    "Leeds Bradford Cardiff Swansea Glasgow Belfast Sheffield Newport Wrexham Manchester Dundee Derry".split()
)
NATIONS = (("england", 70), ("wales", 15), ("scotland", 10), ("northern_ireland", 5))
TENURES = (("rented", 85), ("shared_ownership", 15))
CHANNELS = (("email", 45), ("sms", 20), ("phone", 15), ("post", 10), ("portal", 10))
CONTACT_KINDS = ("enquiry", "repair_request", "feedback", "compliment")
LESSON_STATUSES = (("published", 60), ("in_review", 15), ("draft", 25))
LESSON_FINDINGS = lines("""
    residents were not told
    the first visit did not fix it
    we closed it too early
    the contractor had no key
    nobody owned the follow-up
    the letter was unclear
""")
ACTION_VERBS = ("Text residents", "Retrain", "Review", "Add a check to", "Publish", "Change the contract for")
