"""Saved reports' GraphQL: reading a saved query against a viewer's schema, and running it as that viewer.

:func:`check_query` is what the saving services are handed (``backend.reports.saved.QueryChecker``): it parses the
text, insists on one query operation (no mutation, no subscription), validates it against the schema of the person
asking with the engine's own depth and alias limits, and returns its :class:`~backend.reports.saved.QueryShape`. Each
problem is an ``Invalid("query", code, line=..., ...)`` naming the line and what is wrong there.

:func:`run_query` runs a saved query in-process as the viewer, as the portal's own operations run, under the limits
the HTTP endpoint applies to ad-hoc text: the size of its inputs, the viewer's cost limit and the time limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
    parse,
    print_ast,
    specified_rules,
    type_from_ast,
    validate,
    value_from_ast,
)
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType as StrawberryOperation

from backend.config import Settings
from backend.db import TimeLimitExceeded, time_limit
from backend.errors import Invalid, gather
from backend.reports.saved import Parameter, QueryShape, RowList
from schema.context import Context
from schema.errors import coded_rules
from schema.limits import InputTooLarge, NulInInput, check_inputs, cost_limit, operation_cost

#: What a form asks for, by the GraphQL scalar a variable is.
KINDS = {
    "String": "string",
    "Int": "int",
    "Float": "float",
    "Boolean": "boolean",
    "ID": "id",
    "Date": "date",
    "DateTime": "datetime",
}
NUMBERS = frozenset({"Int", "Float"})
#: The standard rules whose problems a report's author most often meets, by the code each problem is given.
NAMED_RULES = {
    "FieldsOnCorrectTypeRule": "unknown_field",
    "KnownArgumentNamesRule": "unknown_argument",
    "KnownTypeNamesRule": "unknown_type",
    "ProvidedRequiredArgumentsRule": "missing_argument",
    "NoUndefinedVariablesRule": "undefined_variable",
    "NoUnusedVariablesRule": "unused_variable",
    "ScalarLeafsRule": "needs_fields",
}
ON_TYPE = re.compile(r"on type '([^']+)'")


def check_query(schema: GraphQLSchema, text: str, settings: Settings) -> QueryShape:
    """The shape of the query in ``text`` for this schema, or Invalid("query", ...) listing each problem.

    The codes: ``syntax`` (with ``line`` and ``detail``); ``one_operation`` (``count``); ``not_a_query``
    (``kind``: mutation or subscription); ``unknown_field`` (``name``, ``type``), ``unknown_argument``
    (``argument``), ``unknown_type`` (``type``), ``missing_argument``, ``undefined_variable``, ``unused_variable``,
    ``needs_fields``, ``too_deep`` and ``too_many_aliases`` (``limit``), each with its ``line``; ``invalid`` for
    anything else, with its ``line`` and graphql's ``detail``; ``unsupported_parameter`` (``name``, ``type``) for a
    variable no form can ask for (a list or an input object).
    """
    document = _parsed(text, settings)
    operation = _one_query(document)
    with gather() as problems:
        for error in validate(schema, document, _rules(settings)):
            code, params = _problem(error)
            problems.add("query", code, **params)
        parameters = []
        for definition in operation.variable_definitions or ():
            with problems.check():
                parameters.append(_parameter(schema, definition))
    root = schema.query_type
    lists = _Walker(schema, document).top(operation.selection_set, root, "") if root is not None else []
    return QueryShape(tuple(parameters), tuple(lists))


def checker(schema: GraphQLSchema, settings: Settings) -> Callable[[str], QueryShape]:
    """:func:`check_query` for one schema, as the saving services take it."""
    return lambda text: check_query(schema, text, settings)


def _parsed(text: str, settings: Settings) -> DocumentNode:
    try:
        document = parse(text, max_tokens=settings.graphql_max_tokens)
    except GraphQLSyntaxError as error:
        line = error.locations[0].line if error.locations else 1
        raise Invalid("query", "syntax", line=line, detail=error.message.removeprefix("Syntax Error: ")) from None
    except GraphQLError as error:  # more tokens than the limit
        raise Invalid("query", "too_long_tokens", limit=settings.graphql_max_tokens, detail=error.message) from None
    return document


def _one_query(document: DocumentNode) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        raise Invalid("query", "one_operation", count=len(operations))
    operation = operations[0]
    if operation.operation != OperationType.QUERY:
        raise Invalid("query", "not_a_query", kind=operation.operation.value)
    return operation


def _rules(settings: Settings) -> list[Any]:
    named = {rule.__name__: rule for rule in specified_rules}
    rules: list[Any] = [rule for name, rule in named.items() if name not in NAMED_RULES]
    for name, code in NAMED_RULES.items():
        rules.extend(coded_rules([named[name]], code))
    depth = QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules
    aliases = MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules
    rules.extend(coded_rules(depth, "too_deep", limit=settings.graphql_max_depth))
    rules.extend(coded_rules(aliases, "too_many_aliases", limit=settings.graphql_max_aliases))
    return rules


def _problem(error: GraphQLError) -> tuple[str, dict[str, Any]]:
    """The code and the values its text needs, for one validation error."""
    extensions = error.extensions or {}
    code = str(extensions.get("code") or "invalid")
    line = error.locations[0].line if error.locations else 1
    node = error.nodes[0] if error.nodes else None
    name = getattr(getattr(node, "name", None), "value", "")
    params: dict[str, Any] = {"line": line}
    if code == "unknown_field":
        found = ON_TYPE.search(error.message)
        params.update(name=name, type=found.group(1) if found else "")
    elif code == "unknown_argument":
        params["argument"] = name
    elif code == "unknown_type":
        params["type"] = name
    elif code in ("too_deep", "too_many_aliases"):
        params["limit"] = extensions.get("limit")
    else:
        params["detail"] = error.message
    return code, params


def _parameter(schema: GraphQLSchema, definition: Any) -> Parameter:
    name = definition.variable.name.value
    written = print_ast(definition.type)
    graphql_type = type_from_ast(schema, definition.type)
    inner = graphql_type.of_type if isinstance(graphql_type, GraphQLNonNull) else graphql_type
    if inner is None or isinstance(inner, GraphQLList) or not is_leaf_type(inner):
        raise Invalid("query", "unsupported_parameter", name=name, type=written)
    named = get_named_type(inner)
    default = None
    if definition.default_value is not None:
        default = value_from_ast(definition.default_value, inner)
    if isinstance(named, GraphQLEnumType):
        kind, choices = "enum", tuple(named.values)
        default = _enum_name(named, default)
    else:
        kind, choices = KINDS.get(named.name, "string"), ()
    required = isinstance(graphql_type, GraphQLNonNull) and definition.default_value is None
    return Parameter(name, written, kind, required, _plain(default), choices)


def _enum_name(enum: GraphQLEnumType, value: Any) -> Any:
    """The enum value's name for a coerced default (graphql gives the internal value)."""
    for name, defined in enum.values.items():
        if defined.value == value or name == value:
            return name
    return value


def _plain(value: Any) -> Any:
    """A default as JSON can hold it: dates and the like as their text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value.isoformat() if hasattr(value, "isoformat") else value)


class _Walker:
    """Finds the lists of objects in a query's result, and the values inside each of their items."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode):
        self.schema = schema
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}

    def _fields(self, selection_set: SelectionSetNode, parent: Any, seen: frozenset[str] = frozenset()) -> list:
        """Each field selected, with its response key and its definition, fragments followed."""
        found: list[tuple[str, FieldNode, Any]] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                definition = _definition(parent, selection.name.value)
                found.append((key, selection, definition))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                found.extend(self._fields(selection.selection_set, target, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    found.extend(self._fields(fragment.selection_set, target, seen | {name}))
        return found

    def top(self, selection_set: SelectionSetNode, parent: Any, prefix: str) -> list[RowList]:
        """The lists of objects under this selection that are not inside another list."""
        lists: list[RowList] = []
        for key, node, definition in self._fields(selection_set, parent):
            if definition is None or node.selection_set is None:
                continue
            path = f"{prefix}{key}"
            named = get_named_type(definition.type)
            if _is_list(definition.type):
                fields, numbers = self.row(node.selection_set, named, "")
                if fields:
                    lists.append(RowList(path, tuple(dict.fromkeys(fields)), frozenset(numbers)))
            else:
                lists.extend(self.top(node.selection_set, named, f"{path}."))
        return lists

    def row(self, selection_set: SelectionSetNode, parent: Any, prefix: str) -> tuple[list[str], list[str]]:
        """The dotted paths of the values inside one item, and those that are numbers; inner lists of objects
        are left out (a row holds one value per column)."""
        fields: list[str] = []
        numbers: list[str] = []
        for key, node, definition in self._fields(selection_set, parent):
            path = f"{prefix}{key}"
            if definition is None:
                if node.name.value == "__typename":
                    fields.append(path)
                continue
            named = get_named_type(definition.type)
            if node.selection_set is None:
                fields.append(path)
                if named.name in NUMBERS and not _is_list(definition.type):
                    numbers.append(path)
            elif not _is_list(definition.type):
                inner, inner_numbers = self.row(node.selection_set, named, f"{path}.")
                fields.extend(inner)
                numbers.extend(inner_numbers)
        return fields, numbers


def _definition(parent: Any, name: str) -> Any:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return parent.fields.get(name)
    return None  # a union's fields are read through its fragments


def _is_list(field_type: Any) -> bool:
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


# --- Running ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOutcome:
    """A saved query's result for one viewer: its ``data``, or why it did not run (``code`` and its values)."""

    data: Mapping[str, Any] | None
    code: str = ""
    params: Mapping[str, Any] | None = None
    details: tuple[str, ...] = ()


def run_query(schema: Any, text: str, variables: Mapping[str, Any], context: Context, settings: Settings) -> RunOutcome:
    """Run a saved query in-process as ``context.actor``, with ``schema`` being that actor's (a strawberry schema).

    It is held to the limits the HTTP endpoint applies to ad-hoc text: only a query runs; its inputs are bounded;
    its cost may not pass the viewer's cost limit; and it stops at the time limit. The engine's depth and alias
    limits come with the schema. The codes when it does not run: ``not_a_query``, ``input_too_large``,
    ``cost_limit`` (``cost``, ``limit``), ``time_limit`` (``limit``), and ``failed`` with the GraphQL errors'
    messages in ``details``.
    """
    try:
        document = parse(text, max_tokens=settings.graphql_max_tokens)
    except GraphQLError as error:  # check_query says why in the reader's words; this is the last guard
        return RunOutcome(None, "failed", None, (error.message,))
    try:
        check_inputs(dict(variables), document)
    except (InputTooLarge, NulInInput):
        return RunOutcome(None, "input_too_large")
    cost = operation_cost(schema._schema, document, None, variables)
    limit = cost_limit(context.actor, settings)
    if cost > limit:
        return RunOutcome(None, "cost_limit", {"cost": cost, "limit": limit})
    try:
        with time_limit(settings.graphql_time_limit_ms) as timer:
            result = schema.execute_sync(
                text,
                variable_values=dict(variables),
                context_value=context,
                allowed_operation_types=(StrawberryOperation.QUERY,),
            )
    except TimeLimitExceeded:
        return RunOutcome(None, "time_limit", {"limit": settings.graphql_time_limit_ms})
    except InvalidOperationTypeError:  # nothing ran: only a query may
        return RunOutcome(None, "not_a_query")
    if timer.exceeded:
        return RunOutcome(None, "time_limit", {"limit": settings.graphql_time_limit_ms})
    if result.errors:
        return RunOutcome(result.data, "failed", None, tuple(error.message for error in result.errors))
    return RunOutcome(result.data or {})
