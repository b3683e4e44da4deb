"""Fill in what a relation leaves out, its foreign key and its target, from the peewee models.

``ToOne("resident")`` follows the model's ``resident`` foreign key to the resource declared over the model
it points at. ``ToMany("stages")`` follows peewee's ``stages`` back-reference, or else the one foreign key
that any declared resource's model has to this one. Where the models leave a choice, the declaration must
make it (``target=``, ``fk=``), and the mistake says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from peewee import ForeignKeyField, Model

from schema.engine.declare import Member, Resource, ToMany, ToOne


class Relations:
    """The declared resources by model, to complete their relations."""

    def __init__(self, resources: Iterable[Resource]):
        self.resources = {resource.name: resource for resource in resources}
        self.by_model: dict[type[Model], list[str]] = {}
        for resource in self.resources.values():
            self.by_model.setdefault(resource.model, []).append(resource.name)
        self.mistakes: list[str] = []

    def complete(self, resource: Resource) -> Resource:
        """A copy of ``resource`` whose relations all name their foreign key and target."""
        members: list[Member] = []
        for member in resource.members:
            if isinstance(member, ToOne):
                member = self._to_one(resource, member)
            elif isinstance(member, ToMany) and not (member.target and member.fk):
                member = self._to_many(resource, member)
            members.append(member)
        return replace(resource, members=members)

    def _refuse(self, resource: Resource, member: Member, problem: str) -> None:
        self.mistakes.append(f"{resource.name}.{member.name}: {problem}")

    def _to_one(self, resource: Resource, member: ToOne) -> ToOne:
        fk = member.fk or member.name
        model_field = getattr(resource.model, fk, None)
        if not isinstance(model_field, ForeignKeyField):
            self._refuse(resource, member, f"{resource.model.__name__}.{fk} is not a foreign key (name it with fk=)")
            return member
        if member.target:
            return replace(member, fk=fk)
        names = self.by_model.get(model_field.rel_model, [])
        if len(names) != 1:
            self._refuse(resource, member, self._which(model_field.rel_model, names))
            return member
        return replace(member, fk=fk, target=names[0])

    def _to_many(self, resource: Resource, member: ToMany) -> ToMany:
        if member.target:
            target = self.resources.get(member.target)
            if target is None:
                return member  # the check names the missing target
            keys = pointing_at(target.model, resource.model)
            if len(keys) != 1:
                self._refuse(
                    resource,
                    member,
                    f"{target.model.__name__} has {len(keys)} foreign keys to "
                    f"{resource.model.__name__} ({', '.join(keys) or 'none'}): say which with fk=",
                )
                return member
            return replace(member, fk=keys[0])
        for backref in resource.model._meta.backrefs:
            if backref.backref == member.name and member.fk in ("", backref.name):
                names = self.by_model.get(backref.model, [])
                if len(names) != 1:
                    self._refuse(resource, member, self._which(backref.model, names))
                    return member
                return replace(member, target=names[0], fk=backref.name)
        found = [
            (name, key)
            for model, names in self.by_model.items()
            for key in pointing_at(model, resource.model)
            if not member.fk or key == member.fk
            for name in names
        ]
        if len(found) != 1:
            choices = ", ".join(f"{name}.{key}" for name, key in found) or "none"
            self._refuse(
                resource,
                member,
                f"{resource.model.__name__} has no back-reference named {member.name!r}, and {len(found)} foreign "
                f"keys of declared resources point at it ({choices}): say which with target=",
            )
            return member
        return replace(member, target=found[0][0], fk=found[0][1])

    @staticmethod
    def _which(model: type[Model], names: list[str]) -> str:
        if not names:
            return f"no resource is declared over {model.__name__}"
        return f"{', '.join(names)} are all declared over {model.__name__}: say which with target="


def pointing_at(model: type[Model], related: type[Model]) -> list[str]:
    """The names of ``model``'s foreign keys to ``related``."""
    return [
        name
        for name, model_field in model._meta.fields.items()
        if isinstance(model_field, ForeignKeyField) and model_field.rel_model is related
    ]
