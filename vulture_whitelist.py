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

# Called only by the numbered migrations, which peewee's runner applies (they are not scanned).
_.install_triggers

# peewee columns no Python reads by name: services write them, and the GraphQL engine reads them from the model's
# field list (or they are kept for the record). The table has each, so the model must too.
_.actor_label
_.actor_token_id
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
_.posted_at
_.posted_by
_.read_at
_.related_request
_.shelf
_.representative_user
_.updated_by
_.uploaded_at
_.uploaded_by
_.wood

# Closed vocabularies kept beside their column as the list of the values it holds; no code checks them yet. The
# enumerations of issue 11 (item 7) build the API's enums from these lists.
_.CALL_STATUSES
_.CLOCK_STATUSES
_.COUNTING
_.INVITATION_STATUSES
_.MESSAGE_DIRECTIONS
_.SURVEY_STATUSES

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

# WTForms: the widgets a field class renders with, and fields that only templates read.
_.widget
_.option_widget
_.person_address
_.person_email
_.person_phone
_.person_postcode

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

# aiosmtpd calls a handler's handle_DATA; io calls a raw stream's readinto.
_.handle_DATA
_.readinto
