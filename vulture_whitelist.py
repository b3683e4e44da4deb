"""Names that only a framework uses. vulture reads this file as code that uses them; nothing imports it.

Only framework entry points belong here, one group per framework, each saying who calls them. Flask views and hooks,
click commands, huey tasks, strawberry resolvers and pytest fixtures registered by decorator are recognised by their
decorator (``[tool.vulture]`` in pyproject.toml) and need no line here. Migrations are frozen and not scanned.
"""

from vulture.whitelists.whitelist_utils import Whitelist

_ = Whitelist()

# peewee reads each model's inner Meta class and its options, and calls a field's db_value to store a value.
_.Meta
_.indexes
_.legacy_table_names
_.db_value

# Python calls a module's __getattr__ for a name it lacks: backend.models gives each model by its class name.
_.__getattr__

# Called only by the numbered migrations, which peewee's runner applies (they are not scanned).
_.install_triggers

# peewee columns no Python reads by name: services write them, and the GraphQL engine reads them from the model's
# field list (or they are kept for the record). The table has each, so the model must too.
_.actor_label
_.actor_token_id
_.agreed_by
_.complaint_offered_by
_.consent_recorded_at
_.consent_recorded_by
_.extension_authorised_at
_.extension_authorised_by
_.failing_since
_.mediation_note
_.merged_at
_.merged_by
_.met_at
_.ombudsman_determined_at
_.ombudsman_orders
_.placed_by
_.lifted_by
_.posted_at
_.posted_by
_.read_at
_.recorded_by
_.related_request
_.shelf
_.told_by
_.representative_user
_.restricted_by
_.updated_by
_.uploaded_at
_.uploaded_by
_.wood

# The retention schedule reads each retention setting by its attribute's name (backend/privacy/retention.py RULES).
_.retain_contacts_years
_.retain_messages_years
_.retain_cocreation_years
_.retain_closed_accounts_years

# strawberry calls a schema extension's hooks by name.
_.on_validate
_.on_operation

# Flask, flask-login and werkzeug read these settings and attributes.
_.login_view
_.login_message
_.login_message_category
_.session_protection
_.permanent
_.direct_passthrough

# flask.g: set as attributes, read back by name (g.get, g.pop, "in g").
_.bearer_checked
_.graphql_operations
_.graphql_time_limit
_.opened_connection
_.request_started
_.request_status
_.request_actor_kind

# WTForms: the widgets a field class renders with, and fields that only templates read.
_.widget
_.option_widget
_.person_address
_.person_email
_.person_phone
_.person_postcode

# gunicorn calls an application's load_config (and load) as it starts.
_.load_config

# huey reads these attributes of the instance.
_.storage_kwargs
_._immediate

# strawberry: fields of types and inputs, enum members, resolver arguments and the signature and docstring it
# inspects, and the hooks it calls.
_.email_verified
_.via_token
_.token_scope
_.colour
_.coats
_.height
_.paint
_.RED
_.BLUE
_.DESC
_.has_next_page
_.has_previous_page
_.start_cursor
_.end_cursor
_.__signature__
_.__doc__
_.anonymise_error
_.process_errors
_.execution_context

# graphql-core visitors: the visitor calls enter_<node kind>.
_.enter_string_value
_.enter_fragment_spread

# pytest: module marks, hooks, and a fixture another fixture requests only for its effect.
_.pytestmark
_.pytest_collection_modifyitems
_.engine_tables

# A stream a test hands to werkzeug: werkzeug may call readlines on it.
_.readlines

# aiosmtpd calls a handler's handle_DATA and handle_RCPT; io calls a raw stream's readinto; html.parser calls a
# parser's handle_starttag, handle_endtag and handle_data.
_.handle_DATA
_.handle_RCPT
_.readinto
_.handle_starttag
_.handle_endtag
_.handle_data

# The codes of the closed vocabularies (backend.vocabulary): each is a value of a GraphQL enum, which strawberry
# serves, and services compare and store them by their string value, so few are named in Python.
_.ACCOUNT
_.ACKNOWLEDGEMENT
_.ACTION_COMPLETED
_.ACTION_ON_DELAY
_.ADMIN
_.ALREADY_CONSIDERED
_.AMEND_RECORD
_.ANSWERED
_.API
_.APOLOGY
_.AUDIO
_.BEREAVEMENT
_.BOUNCED
_.CALL
_.CALL_NOTE
_.CARER
_.CHANGES
_.CLOSED
_.COMPLAINTS
_.COMPLIMENT
_.CONSOLE
_.DAILY
_.DEAD
_.DEFAULT
_.DIGESTED
_.DISABILITY
_.DOCUMENT
_.DOMESTIC_ABUSE
_.DONE
_.ENGLAND
_.ESCALATION_REQUEST
_.EXPIRED
_.EXPLANATION
_.EXTENSION
_.FACE_TO_FACE
_.FAMILY
_.FAMILY_MEMBER
_.FEEDBACK
_.FINANCIAL_HARDSHIP
_.FINANCIAL_REDRESS
_.FRIEND
_.FROM_RESIDENT
_.HEALTH_CONDITION
_.HELD
_.IMAGE
_.IMMEDIATE
_.IMPORT
_.INTERNAL_CORRESPONDENCE
_.INTERNAL_NOTE
_.INVESTIGATION_DOCUMENT
_.LANGUAGE_OR_LITERACY
_.LEGAL_PROCEEDINGS
_.LIVE
_.MALADMINISTRATION
_.MEDIATION
_.MENTAL_HEALTH
_.MERGED
_.MERGED_CONTACT
_.MET
_.MP
_.MULTIPLE
_.NEW
_.NEXT_WORKING_DAY
_.NONE
_.NORTHERN_IRELAND
_.NOT_REACHED
_.NOT_UPHELD
_.NO_MALADMINISTRATION
_.OFF
_.OLDER_PERSON
_.OPEN
_.OTHER
_.OUTSIDE_JURISDICTION
_.OVER_SIX_MONTHS
_.OVER_TWELVE_MONTHS
_.PANEL_MEMBER
_.PARTLY_UPHELD
_.POLICY_CHANGE
_.POST
_.POSTED
_.QUEUED
_.RATING
_.READ
_.REASONABLE_REDRESS
_.RECEIPT
_.RECONSIDER_DECISION
_.REFUSAL
_.RENTED
_.RESOLVED
_.RESPONDED
_.RUNNING
_.SAME_DAY
_.SCOTLAND
_.SENDING
_.SERVICE_FAILURE
_.SERVICE_REQUEST
_.SEVERE_MALADMINISTRATION
_.SHARED_OWNERSHIP
_.SINGLE
_.SKIPPED
_.SMS
_.SOCIAL_MEDIA
_.SOLICITOR
_.STOPPED
_.SUGGESTION
_.SUPPORT_WORKER
_.SURVEYS
_.SURVEY_FEEDBACK
_.THIRD_PARTY_CORRESPONDENCE
_.TO_RESIDENT
_.UNREACHABLE
_.UPDATE
_.UPHELD
_.VERBAL
_.VERBAL_TO_STAFF
_.VIDEO
_.WALES
_.WEEKLY
_.WEEKS
_.WORK_DAYS
_.WRITE
_.WRITTEN
_.YOUNG_CHILDREN

# Reasonable adjustments and restrictions on contact: vocabulary codes, and columns services write and the engine
# serves (backend.complaints.safeguards).
_.ACCOMPANIED_VISITS
_.AGREED
_.CONTINUE
_.DECLINED
_.EMAIL_ONLY
_.END
_.ENDED
_.REQUESTED
_.SET_TIMES
_.SINGLE_POINT_OF_CONTACT
_.WRITTEN_ONLY
_.decided_by
_.decided_on
_.decision_reasons
_.recorded_by
_.review_note

# New complaint records (hazards, named roles, restricted cases, the mailbox, the SPSO's steps): vocabulary codes
# the engine serves as enum values, and columns services write and the engine serves by the model's field list.
_.AUTOMATIC
_.COMPLAINTS_OFFICER
_.DAMP_MOULD
_.DISREPAIR
_.GAS_ELECTRICAL
_.INVESTIGATE
_.INVOLVED
_.MAKE_SAFE
_.MRC
_.REASSIGNED
_.REPLY
_.SAFEGUARDING
_.SENIOR_LEAD
_.SERIOUS_HARM
_.STAGE_ENDED
_.START_WORK
_.SUBJECT
_.SUMMARY
_.UNREADABLE
_.WEBHOOK
_.closed_by
_.closure_note
_.dismissed_at
_.dismissed_by
_.ended_because
_.escalated_at
_.escalated_to
_.flagged_at
_.flagged_by
_.granted_by
_.recorded_at
_.total_count  # schema/lessons/lessons.py: UpheldComplaintPage, read by GraphQL
_.FOLLOW_UP  # backend.lessons.actions.NextStep: a choice offered through the API and the console
# The monthly lessons QA: columns set by the service, and fields strawberry reads.
_.computed_at
_.computed_by
_.to_date
_.transfer_complaints
_.transfer_ombudsman
_.smart
_.effective

# The lessons collector: vocabulary codes and columns read through the API, and the lessons CLI group.
_.SYSTEMIC_ISSUE
_.SERVICE_RISK
_.SERVICE_IMPROVEMENT
_.INNOVATION
_.POLICY_REVISION
_.TRAINING_NEED
_.LISTENING
_.identified_by
_.survey_question
_.linked_by
_.SERVICE_PROVISION
_.POLICY_PROCEDURE
_.programme
_.proposed_by
_.authorised_by
_.verified_by
_.effect_note
_.added_by
_.added_at
_.MANAGEMENT
_.SENIOR_MANAGEMENT
_.GOVERNANCE_GROUP
_.KNOWLEDGE_SHARING
_.sent_by
_.drafted_by
_.approved_by
_.approved_at
_.NOT_APPLICABLE
_.RESIDENTS_AFFECTED
_.UPHELD_COMPLAINTS
_.VOTES
_.lessons_qa
_.attachments_verify  # click commands: `learnloop attachments verify` and `migrate`
_.attachments_migrate
_.privacy_export  # learnloop privacy export, registered by click
_.install  # backend.lessons.figure_triggers: called by the migrations
_.refreshed_at
_.TRANSFER_COMPLAINTS
_.TRANSFER_OMBUDSMAN
_.SMART
_.ON_TIME
_.OVERDUE
_.EFFECTIVE
_.pre_validate  # a WTForms hook
# Reports: fields written through keyword arguments and read from JSON or by the API.
_.produced_at
_.published_by
_.published_at
_.first_day
_.annual
_.ch01_stage1
_.ch01_stage2
_.ch02_stage1
_.ch02_stage2
_.entered_at
_.entered_by
_.exceptions
_.northern_ireland
_.stock_counts
_.NON_COMPLIANCE
_.ANNUAL_LANDLORD_REPORT
_.SPECIAL_REPORT
_.responded_on_time
_.extended_beyond_allowance
_.mean_working_days
_.median_working_days
# The TSM codes, survey methods and report fields: vocabulary members and API fields, read through the API.
_.TP01
_.TP02
_.TP03
_.TP04
_.TP05
_.TP06
_.TP07
_.TP08
_.TP09
_.TP10
_.TP11
_.TP12
_.TP09_FILTER
_.POSTAL
_.TELEPHONE
_.ONLINE
_.MIXED
_.unweighted_count
_.unweighted_positive
_.first_day
_.responses_without_tenure
_.filter_question_missing
_.average_working_days  # schema.reports.spso: API fields, read by GraphQL
_.within_timescale
_.lesson_list
_.received_per_thousand
# backend.reports.models: vocabulary codes and columns read through the API and the console's templates.
_.MUST
_.SHOULD
_.RESTRUCTURE
_.MERGER
_.PROCEDURE_CHANGE
_.OMBUDSMAN_REQUEST
_.BENCHMARK
_.period_last
_.published_by
_.published_at

# Equality monitoring answers and breakdowns: vocabulary members, form fields and API fields read by name.
_.AGE_BAND
_.ASIAN_BANGLADESHI
_.ASIAN_CHINESE
_.ASIAN_INDIAN
_.ASIAN_OTHER
_.ASIAN_PAKISTANI
_.BISEXUAL
_.BLACK_AFRICAN
_.BLACK_CARIBBEAN
_.BLACK_OTHER
_.BUDDHIST
_.CHRISTIAN
_.CIVIL_PARTNERSHIP
_.DIFFERENT
_.DIVORCED
_.ETHNIC_GROUP
_.FEMALE
_.FROM_25
_.FROM_35
_.FROM_45
_.FROM_55
_.FROM_65
_.FROM_75
_.GAY_LESBIAN
_.GENDER_IDENTITY
_.HINDU
_.INSURANCE
_.JEWISH
_.LANGUAGE
_.LIMITED_A_LITTLE
_.LIMITED_A_LOT
_.MALE
_.MARRIED
_.MIXED_OTHER
_.MIXED_WHITE_ASIAN
_.MIXED_WHITE_BLACK_AFRICAN
_.MIXED_WHITE_BLACK_CARIBBEAN
_.MUSLIM
_.NEVER
_.NO
_.NOT_LIMITED
_.OTHER_ANY
_.OTHER_ARAB
_.PARTNERSHIP
_.PREGNANCY
_.RELIGION
_.SAME
_.SEPARATED
_.SEX
_.SEXUAL_ORIENTATION
_.SIKH
_.STRAIGHT
_.UNDER_25
_.VULNERABILITY
_.WHITE_BRITISH
_.WHITE_GYPSY_TRAVELLER
_.WHITE_IRISH
_.WHITE_OTHER
_.WHITE_ROMA
_.WIDOWED
_.YES
_.ethnic_group
_.first_day
_.gender_identity
_.imported_at
_.imported_by
_.no_outcome
_.not_upheld
_.partly_upheld
_.partnership
_.pregnancy
_.sexual_orientation
_.phone_verified  # a GraphQL field read by the account pages
_.panel_name  # schema.panels.ledger.InvolvementTotals: an API field, read by GraphQL

# Scrutiny panels (backend.panels.models): vocabulary codes the engine serves as enum values, and columns services
# write and the engine serves by the model's field list.
_.ADDRESSES
_.CANNOT_SAY
_.COMMITTEE
_.DOES_NOT
_.NOT_ACCEPTED
_.NOT_SATISFIED
_.SATISFIED
_.TREND
_.adopted_by
_.answered_by
_.approval_note
_.asked_at
_.confirmed_by
_.decision_note
_.drawn_at
_.drawn_by
_.query_name
_.responded_by
_.satisfaction_note
_.thanked_at
_.viewed_at
_.withdrawn_reason

# Whether residents' answers marked a change not fixed: a field read through the API (changeImpact).
_.not_fixed


# Comments on changes: vocabulary codes and a GraphQL type's field read through the engine.
_.HIDE
_.RESTORE
_.moderator_name


# Priority rounds: fields of API types read by GraphQL only.
_.merged_into_names
_.ineligible
_.revotes


# Changes: counted by the impact survey and read through the API; a fallback text's direction, read by templates.
_.impact_yes
_.impact_partly
_.impact_no
_.impact_dont_know
_.not_fixed_at
_.dir


# Published themes and residents' suggestions: a suggestion's moderator and time, read through the engine; a
# public theme's latest result, a strawberry field.
_.moderated_by
_.moderated_at
_.last_result


# psycopg reads a connection's isolation level when it begins the next transaction (backups' snapshot).
_.isolation_level
# prometheus-client calls a registered collector's collect() at every scrape (portal.metrics.StateCollector).
_.collect

# flask-login reads the request's user from g._login_user; the 503 page puts an anonymous one there (portal.errors).
_._login_user
