"""The Learnloop domain: models, services, policies and events. No web, GraphQL, queue or form code."""
