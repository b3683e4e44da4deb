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
#: The resident-facing Welsh names of THEMES, in the same order.
WELSH_THEMES = lines("""
    Ymddygiad gwrthgymdeithasol
    Gwasanaethau ystadau
    Glanhau ardaloedd cymunedol
    Cyfathrebu
    Ymdrin â chwynion
    Lleithder a llwydni
    Gwres a dŵr poeth
    Cynnal a chadw tiroedd
    Ceginau ac ystafelloedd ymolchi
    Lifftiau
    Gosod tai a dyrannu
    Apwyntiadau a gollwyd
    Diogelwch y gymdogaeth
    Sŵn
    Rheoli plâu
    Rhent a thaliadau gwasanaeth
    Ansawdd atgyweiriadau
    Cyflymder atgyweiriadau
    Agwedd staff
    Rheoli tenantiaethau
    Gwastraff ac ailgylchu
    Ffenestri a drysau
    Hygyrchedd ac addasiadau
    Gwasanaethau Cymraeg
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
LESSON_FINDINGS = lines("""
    residents were not told
    the first visit did not fix it
    we closed it too early
    the contractor had no key
    nobody owned the follow-up
    the letter was unclear
""")
ACTION_VERBS = ("Text residents", "Retrain", "Review", "Add a check to", "Publish", "Change the contract for")

# Contacts and complaints.
#: How people get in touch with the landlord (the real model's channels), most often first.
CONTACT_CHANNELS = (
    ("portal", 34),
    ("phone", 26),
    ("email", 20),
    ("letter", 5),
    ("face_to_face", 5),
    ("verbal_to_staff", 4),
    ("social_media", 3),
    ("representative", 2),
    ("interpreter", 1),
)
#: What contacts that are not complaints turn out to be.
OTHER_KINDS = (("service_request", 80), ("compliment", 8), ("suggestion", 6), ("survey_feedback", 6))
#: Case-handling teams; each has one manager, and staff are spread over them.
TEAMS = lines("""
    Repairs team
    Customer resolution team
    Neighbourhoods team
    Income team
    Lettings team
    Estate services team
    Building safety team
    Tenancy support team
""")
SERVICE_AREAS = lines("""
    Repairs
    Damp and mould
    Anti-social behaviour
    Rent and service charges
    Lettings
    Estate services
    Building safety
    Tenancy management
""")
CATEGORIES = lines("""
    Delay
    Quality of work
    Missed appointment
    Staff conduct
    Communication
    Policy or decision
    Charges
    Noise
    Cleaning
    Adaptations
    Pests
    Heating
""")
ISSUES = lines("""
    The kitchen tap has leaked for weeks and the cupboard underneath is ruined.
    Black mould keeps coming back on the bedroom wall after every clean.
    The boiler broke down again and we had no heating or hot water for four days.
    A neighbour plays loud music late into the night most weekends.
    The communal stairs have not been cleaned since the summer.
    The lift in our block has been out of order for a fortnight.
    Water comes in around the living room window whenever it rains.
    The back door does not lock properly and I do not feel safe.
    Rubbish is piling up by the bins and attracting rats.
    My service charge went up without any explanation.
    The repair to the bathroom ceiling was never finished.
    The grass on the estate has not been cut for months.
""")
FOLLOW_UPS = lines("""
    I reported it twice and nobody came to the appointment.
    The contractor said the part was ordered but I have heard nothing since.
    I have called several times and been told someone would ring me back.
    My children have asthma and it is getting worse.
    I work shifts, so please call after 2pm.
    I have attached photos.
    I would like someone to visit and look at it properly.
    It was fixed once but the problem came back within a week.
""")
THANKS = lines("""
    Thank you to the repairs operative who fixed our heating so quickly.
    The new kitchen is lovely and the fitters were polite and tidy.
    The housing officer was really helpful when I was struggling.
""")
SUGGESTIONS = lines("""
    It would help if appointments could be booked for evenings.
    Could the newsletter be sent by text as well as post?
    Please put a bench by the play area on the estate.
""")
OUTCOMES = lines("""
    Fix the problem properly and tell me when it will be done.
    An apology and compensation for the time without heating.
    Someone to inspect the home and treat the mould.
    A refund of the service charge increase.
    Action taken about the noise.
""")
POINTS = lines("""
    The repair was not completed.
    Appointments were missed without notice.
    Calls and emails were not returned.
    The mould treatment did not work.
    The charge was not explained.
    The noise reports were not acted on.
""")
RESPONSE_REASONS = lines("""
    We looked at the repair history and spoke to the contractor. The first visit did not fix the cause.
    We reviewed the calls you made and the notes on your account. We should have called you back.
    Our surveyor inspected the home and found the ventilation was not working.
    We checked the service charge calculation against the contract and the estimate we sent.
""")
NEXT_STEPS = lines("""
    If you are not happy with this answer, you can ask us to look at it again at stage 2.
    This is our final response. You can now ask the Ombudsman to look at your complaint.
""")
UPDATES = lines("""
    The contractor has ordered the part and will call you to book a visit.
    We are still looking into this and will write again by the date we gave you.
    Our surveyor will visit next week.
""")
MORE_INFORMATION = lines("""
    Here are more photos of the damage.
    The contractor came but left without doing anything.
    I have now been without hot water for two weeks.
""")
