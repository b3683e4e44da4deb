"""The cost of a GraphQL operation, worked out from its document before anything runs.

Cost estimates how many values an operation could return. Each leaf field counts the product of
the page sizes of the lists on its path: a list's page size is its ``first`` (or ``last``)
argument, taken from the document or its variables; failing that, the argument's declared
default; failing that, :data:`DEFAULT_PAGE_SIZE`. A page-size argument on a field that is not
itself a list (a connection such as ``users(first: 10) { edges { node { … } } }``) sets the size
of the lists directly inside it. Objects and scalars count 1; so does a list of scalars, which is
one column of one row. Introspection counts 1 whatever it selects: its size is bounded by the
schema, not by the data. Fragments are followed and every branch of a union is counted, so the
estimate errs high, never low. Page sizes from variables are read as the executor will coerce
them (``100.0`` for an ``Int`` is 100).

Variables count too: each value inside a variable's list or input object counts 1, as the tokens
of the same value written into the document would have. Before any of this, :func:`check_inputs`
bounds the variables and the document's literals (their strings, lists, nesting and number of
values), so nothing large is walked, coerced or compiled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLField,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    get_named_type,
    parse,
    visit,
)
from graphql.language import Visitor

from backend.config import Settings
from backend.context import Actor

DEFAULT_PAGE_SIZE = 25
PAGE_ARGUMENTS = ("first", "last")
INTROSPECTION_FIELDS = frozenset({"__schema", "__type", "__typename"})

#: Characters in one input string, in the variables or the document: twice the longest text any
#: service keeps (20,000), so only abuse is refused here.
MAX_INPUT_STRING = 50_000
#: Items in one list in the variables.
MAX_INPUT_LIST = 500
#: Values (scalars, lists and objects) in all the variables together.
MAX_INPUT_VALUES = 2_000
#: Levels of lists and objects in the variables.
MAX_INPUT_DEPTH = 32


@dataclass(frozen=True)
class InputTooLarge(Exception):
    """The operation's input is beyond a limit. ``kind`` is string, list, values or depth."""

    kind: str
    limit: int


class NulInInput(Exception):
    """A text in the input holds a NUL character: no field accepts one, and PostgreSQL can't even compare one."""


def check_inputs(variables: Mapping[str, Any] | None, document: DocumentNode | None = None) -> None:
    """Raise :class:`InputTooLarge` when the variables, or the document's string literals, pass a limit, and
    :class:`NulInInput` when one of their texts holds a NUL character.

    The variables are walked without recursion (they may be nested thousands deep) and the walk
    stops at the first excess, so refusing a huge input costs little more than reading it.
    """
    count = 0
    pending: list[tuple[Any, int]] = [(value, 1) for value in (variables or {}).values()]
    while pending:
        value, depth = pending.pop()
        count += 1
        if count > MAX_INPUT_VALUES:
            raise InputTooLarge("values", MAX_INPUT_VALUES)
        if isinstance(value, str):
            _check_text(value)
        if isinstance(value, list | dict):
            if depth >= MAX_INPUT_DEPTH:
                raise InputTooLarge("depth", MAX_INPUT_DEPTH)
            if isinstance(value, list) and len(value) > MAX_INPUT_LIST:
                raise InputTooLarge("list", MAX_INPUT_LIST)
            items = value.values() if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
    if document is not None:
        visit(document, _LongStrings())


def _check_text(text: str) -> None:
    if len(text) > MAX_INPUT_STRING:
        raise InputTooLarge("string", MAX_INPUT_STRING)
    if "\x00" in text:
        raise NulInInput()


class _LongStrings(Visitor):
    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        _check_text(node.value)


def variables_cost(variables: Mapping[str, Any] | None) -> int:
    """One for each value inside a variable's lists and input objects (a variable's own value counts 0)."""
    total = 0
    pending: list[Any] = list((variables or {}).values())
    while pending:
        value = pending.pop()
        if isinstance(value, list | dict):
            items = list(value.values() if isinstance(value, dict) else value)
            total += len(items)
            pending.extend(items)
    return total


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    default_page_size: int = DEFAULT_PAGE_SIZE,
) -> int:
    """Return the cost of the operation that ``operation_name`` picks from ``document``.

    Returns 0 when the document names no such operation (or several without a name to choose),
    because then nothing will run.
    """
    operation = select_operation(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    walker = _CostWalker(schema, document, operation, variables or {}, default_page_size)
    return walker.selection_set_cost(operation.selection_set, root, None) + variables_cost(variables)


def query_cost(
    schema: GraphQLSchema,
    query: str,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    max_tokens: int | None = None,
) -> int | None:
    """Parse ``query`` and return its cost, or ``None`` when it does not parse.

    A document that does not parse never runs; the caller lets the schema report why.
    """
    document = parse_document(query, max_tokens)
    return None if document is None else operation_cost(schema, document, operation_name, variables)


def parse_document(query: str, max_tokens: int | None = None) -> DocumentNode | None:
    """Parse ``query``, or return ``None`` when it does not parse (the schema then reports why)."""
    try:
        return parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return None


def cost_limit(actor: Actor, settings: Settings) -> int:
    """The most an ad-hoc operation may cost this actor: staff roles get the larger allowance."""
    return settings.graphql_max_cost_staff if actor.is_staff else settings.graphql_max_cost


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name is not None and op.name.value == operation_name), None)


class _CostWalker:
    """Walks one operation. Fragment costs are remembered, so each fragment is costed once per context."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        default_page_size: int,
    ):
        self.schema = schema
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.variables = variables
        self.variable_defaults = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
            if definition.default_value is not None
        }
        self.default_page_size = default_page_size
        self._memo: dict[tuple[str, int | None], int] = {}
        self._visiting: set[str] = set()

    def selection_set_cost(self, selection_set: SelectionSetNode, parent: Any, pending: int | None) -> int:
        """Sum the cost of each selection. ``pending`` is a page size set by the parent for its lists."""
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent, pending)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set_cost(selection.selection_set, target, pending)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment_cost(selection.name.value, pending)
        return total

    def fragment_cost(self, name: str, pending: int | None) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in self._visiting:
            return 0  # unknown or cyclic: validation refuses the document before it runs
        key = (name, pending)
        if key not in self._memo:
            self._visiting.add(name)
            try:
                target = self.schema.get_type(fragment.type_condition.name.value)
                self._memo[key] = self.selection_set_cost(fragment.selection_set, target, pending)
            finally:
                self._visiting.discard(name)
        return self._memo[key]

    def field_cost(self, node: FieldNode, parent: Any, pending: int | None) -> int:
        if node.name.value in INTROSPECTION_FIELDS:
            return 1
        definition = _field_definition(parent, node.name.value)
        page = self.page_size(node, definition)
        field_type = definition.type if definition is not None else None
        if _is_list(field_type):
            leaf_default = self.default_page_size if node.selection_set else 1
            multiplier = page or pending or leaf_default
            inner_pending = None
        else:
            multiplier = 1
            inner_pending = page
        if node.selection_set is None:
            return multiplier
        named = get_named_type(field_type) if field_type is not None else None
        return multiplier * self.selection_set_cost(node.selection_set, named, inner_pending)

    def page_size(self, node: FieldNode, definition: GraphQLField | None) -> int | None:
        """The page size this field asks for, or ``None`` when it takes no page-size argument."""
        for argument in node.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                value = self.int_value(argument.value)
                if value is not None:
                    return max(1, value)
        if definition is None:
            return None
        for name in PAGE_ARGUMENTS:
            declared = definition.args.get(name)
            if declared is not None:
                default = _declared_default(declared)
                return max(1, default) if default is not None else self.default_page_size
        return None

    def int_value(self, node: ValueNode) -> int | None:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            name = node.name.value
            if name in self.variables:
                return _as_int(self.variables[name])
            default = self.variable_defaults.get(name)
            return self.int_value(default) if default is not None else None
        return None


def _field_definition(parent: Any, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return parent.fields.get(name)
    return None


def _is_list(field_type: Any) -> bool:
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def _declared_default(argument: GraphQLArgument) -> int | None:
    """The argument's declared default if it is a whole number (held as a value or as a literal)."""
    if _is_int(argument.default_value):
        return argument.default_value
    default = getattr(argument, "default", None)  # graphql-core 3.3 keeps SDL defaults here
    value = getattr(default, "value", None)
    if _is_int(value):
        return value
    literal = getattr(default, "literal", None)
    return int(literal.value) if isinstance(literal, IntValueNode) else None


def _as_int(value: Any) -> int | None:
    """The value as the executor coerces it for an ``Int`` (so ``100.0`` is 100), or None if it can't be one."""
    try:
        coerced = GraphQLInt.parse_value(value)
    except GraphQLError:
        return None
    return coerced if _is_int(coerced) else None


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
