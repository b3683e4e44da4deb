"""The GraphQL surface: the engine and the per-domain declarations and mutations."""

# Every vocabulary becomes an enum, with its codes as values, before any type refers to one.
import schema.engine.enums  # noqa: F401
