"""Surveys in the API: resources and results (``resources``) and the mutations that build and answer them."""

from schema.surveys.mutations import MUTATIONS
from schema.surveys.resources import RESOURCES, SurveysQuery

__all__ = ["MUTATIONS", "RESOURCES", "SurveysQuery"]
