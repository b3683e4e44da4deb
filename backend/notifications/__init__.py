"""Messages to people: wording, channels, preferences and delivery.

Use cases by module:

- ``services``: turn an event into deliveries, send, retry, dead-letter.
- ``sending``: send a delivery exactly once where the channel allows it.
- ``backlog``: what waits to be sent: deliveries by status, and the oldest one unsent (for monitoring).
- ``preferences``: who gets a message, by which channel and how often; unsubscribing.
- ``templates``: check, render and default message templates.
- ``reviews``: each language's wording state, and reviews after the English changes.
- ``compose``: put a message together: staff's wording, then the call to action.
- ``blocks``: the sections and tables the system writes into a message.
- ``catalogue``: what an event that sends messages declares: topic, statutory or not, placeholders, links.
- ``registry``: every domain's events, by name (each domain declares its own in ``<domain>.messages``).
- ``wording``: the words of one message for one reader, as stored.
- ``written``: complaint messages that must reach people in writing, in full.
- ``people``: people without an account as readers of messages.
- ``letters``: letters to post: a printable page and a PDF.
- ``calls``: calls to make for people who asked for a phone call.
- ``mailer``: send email over SMTP, or to a folder in development.
- ``sms``: send text messages through a provider, or to a folder in development.
- ``models``: templates, preferences, portal messages, letters, calls, translation reviews.
"""
