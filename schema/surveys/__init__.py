"""Surveys in the API: resources and results (``resources``) and the mutations that build and answer them."""

from schema.engine.mutations import Mutations
from schema.surveys import mutations
from schema.surveys.resources import RESOURCES, SurveysQuery

MUTATIONS = Mutations(mutations.mutations)

__all__ = ["MUTATIONS", "RESOURCES", "SurveysQuery"]
