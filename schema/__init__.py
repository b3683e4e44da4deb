"""The GraphQL surface: the engine and the per-domain declarations and mutations."""
