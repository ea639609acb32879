"""Commands as forms: each command a role may issue is an ``Action`` on a record's page, or a
``Creation`` page of its own.

Both follow one path: the form is checked by its marshmallow schema, then one command of the
registry runs as the signed-in user. A refusal from either lands beside the field it
concerns (or above the form), the page comes back with everything typed, and nothing is
saved; success flashes a sentence and shows the record. A record's forms carry the version
the page showed (a hidden ``version``): a command on a record changed since is refused with
409 and the page comes back with what was typed, asking to reload. Who is offered a form is decided
here (``roles``, ``when``); whether the command is allowed is always decided again by the
domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError

from domain.actors import Role
from domain.errors import DomainError
from registry.errors import ConflictingChange, NotFound
from registry.facade import Registry
from registry.submissions import Resubmitted, check_version
from web.auth import SignedIn, actor, registry, requires, user
from web.confirmation import Confirmation, ask, confirmed
from web.forms import FieldSpec, Form, specs, submitted
from web.links import next_page
from web.schemas.common import corrected
from web.submissions import note_repeated

Record = dict[str, Any]
Run = Callable[[UUID, dict[str, Any]], object]
ALL_ROLES: tuple[Role, ...] = tuple(r for r in Role if r is not Role.SYSTEM)


def _always(_user: SignedIn, _record: Record) -> bool:
    return True


@dataclass(frozen=True)
class Action:
    """One command on a record, offered as a small form on the record's page."""

    name: str
    title: Any
    schema: Callable[[], Schema]
    run: Run
    done: Any
    roles: tuple[Role, ...] = ALL_ROLES
    when: Callable[[SignedIn, Record], bool] = _always
    intro: Any = None
    danger: bool = False
    # a record missing for NotFound (a party named by its code, say) is shown beside this field
    missing: str | None = None
    # a command that binds or ends something asks again, showing what it will record
    confirm: Confirmation | None = None

    def specs(self) -> list[FieldSpec]:
        return specs(self.schema())

    def offered_to(self, signed_in: SignedIn, record: Record) -> bool:
        return signed_in.role in self.roles and self.when(signed_in, record)


ONE_FACT = _l("For a fact registered wrongly. Fill in the right value of one fact.")


def correction(
    schema: Callable[[], Schema],
    command: str,
    done: Any,
    *,
    roles: tuple[Role, ...],
    when: Callable[[SignedIn, Record], bool] = _always,
    intro: Any = ONE_FACT,
) -> Action:
    """ "Correct a registered fact": the form names one fact and its right value, and the
    registry's ``command`` (e.g. ``correct_school``) records it with the reason given."""
    if not callable(getattr(Registry, command, None)):
        raise LookupError(f"the registry has no command {command!r}")

    def run(record_id: UUID, data: dict[str, Any]) -> object:
        name, value = corrected(data)
        correct = getattr(registry(), command)
        return correct(record_id, field=name, value=value, reason=data["reason"], actor=actor())

    return Action(
        "correct",
        _l("Correct a registered fact"),
        schema,
        run,
        done,
        roles=roles,
        when=when,
        intro=intro,
    )


def attempt(
    schema: Schema, run: Callable[[dict[str, Any]], object], missing: str | None = None
) -> tuple[Form, object, int]:
    """Check the submitted form, run the command; the form, the command's result, a status.

    A form sent again with the key of one recorded already records nothing: the result is
    the record the first one changed or created (``web/submissions.py``).
    """
    form, data = submitted(schema)
    if data is None:
        return form, None, 422
    names = tuple(declared.data_key or name for name, declared in schema.fields.items())
    try:
        return form, run(data), 200
    except Resubmitted as repeated:
        # sent before and recorded then: answer as the first time did, recording nothing
        note_repeated()
        return form, repeated.record_id, 200
    except ConflictingChange as conflict:
        form.refuse(conflict)
        return form, None, 409
    except NotFound as missing_record:
        if missing is None:
            form.refuse(missing_record)
        else:
            form.add(missing, gettext("Nothing registered matches this; check what you typed."))
        return form, None, 422
    except DomainError as refused:
        form.refuse(refused, names)
        return form, None, 422
    except ValidationError as invalid:
        # a check the schema could not make alone (a name looked up in the read models)
        found = invalid.messages
        for name, messages in (
            found if isinstance(found, dict) else {invalid.field_name: found}
        ).items():
            for message in messages if isinstance(messages, list) else [messages]:
                form.add(None if name == "_schema" else name, str(message))
        return form, None, 422


def shown_version() -> int:
    """The record's version the submitted page showed; 0, never a record's, if it sent none."""
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return 0


Rerender = Callable[[dict[str, Form], int], ResponseReturnValue]


def perform(
    action: Action,
    record_id: UUID,
    rerender: Rerender,
    shown: str,
    record: Record | None = None,
) -> ResponseReturnValue:
    """Run one of a record's commands as the signed-in user, the one way every record page
    does: the role, then the submission key and the version the page showed (one read of the
    record), then the form and the command. A refusal comes back through ``rerender`` with
    what was typed; success flashes ``done`` and goes to ``shown``, the record's page.

    An action with a ``confirm`` step runs the same checks, then shows what it will record
    (``web/confirmation.py``, about ``record``) and runs only when that page is answered."""
    if user().role not in action.roles:
        abort(403)
    version = shown_version()
    asking = action.confirm is not None and not confirmed()

    def run(data: dict[str, Any]) -> object:
        # a repeat of this submission is answered as the first was, before the version
        check_version(registry(), record_id, version, actor())
        if asking:
            return data
        return action.run(record_id, data)

    form, result, status = attempt(action.schema(), run, action.missing)
    if asking and form.ok and status == 200 and isinstance(result, dict):
        assert action.confirm is not None
        for unmet in action.confirm.unmet(record or {}):
            form.add(None, str(unmet))
        if form.ok:
            return ask(action.confirm, action.title, record or {}, result, shown, action.danger)
        status = 422
    if not form.ok or status != 200:
        return rerender({action.name: form}, status)
    flash(str(action.done), "ok")
    return redirect(shown)


@dataclass
class RecordPage:
    """A record's page (``GET /<id>``) and its commands (``POST /<id>/<action>``), served
    once the page module registers it on its blueprint (``register``).

    ``load`` returns the record as the page shows it, or None when it does not exist or is
    outside the user's reach (both answered with 404). ``context`` adds what the template
    needs besides the record, including ``choices``: per action, options for its fields.
    """

    template: str
    load: Callable[[UUID], Record | None]
    actions: list[Action]
    context: Callable[[Record], dict[str, Any]] = field(default=lambda _record: {})
    roles: tuple[Role, ...] = ALL_ROLES

    def __post_init__(self) -> None:
        self.by_name = {action.name: action for action in self.actions}

    def register(self, blueprint: Blueprint) -> None:
        """Serve the page at ``/<id>`` and its commands at ``/<id>/<action>`` on ``blueprint``."""
        self.blueprint = blueprint
        blueprint.add_url_rule(
            "/<uuid:record_id>", "show", requires(*self.roles)(self.show), methods=["GET"]
        )
        blueprint.add_url_rule(
            "/<uuid:record_id>/<name>", "act", requires(*self.roles)(self.act), methods=["POST"]
        )

    def _record(self, record_id: UUID) -> Record:
        found = self.load(record_id)
        if found is None:
            abort(404)
        return found

    def render(
        self,
        record_id: UUID,
        forms: dict[str, Form] | None = None,
        status: int = 200,
        extra: dict[str, Any] | None = None,
    ) -> ResponseReturnValue:
        record = self._record(record_id)
        signed_in = user()
        offered = [action for action in self.actions if action.offered_to(signed_in, record)]
        forms = forms or {}
        # an action refused in a state that no longer offers it still shows its refusal
        offered += [a for name, a in self.by_name.items() if name in forms and a not in offered]
        return (
            render_template(
                self.template,
                record=record,
                actions=offered,
                forms=forms,
                empty_form=Form(),
                endpoint=f"{self.blueprint.name}.act",
                hidden={"version": registry().version_of(record_id)},
                **{**self.context(record), **(extra or {})},
            ),
            status,
        )

    def show(self, record_id: UUID) -> ResponseReturnValue:
        return self.render(record_id)

    def act(self, record_id: UUID, name: str) -> ResponseReturnValue:
        action = self.by_name.get(name)
        if action is None:
            abort(404)
        return perform(
            action,
            record_id,
            lambda forms, status: self.render(record_id, forms, status=status),
            url_for(f"{self.blueprint.name}.show", record_id=record_id),
            self._record(record_id),
        )


@dataclass
class Creation:
    """A page whose form creates a record (``GET`` shows it, ``POST`` runs the command),
    served once the page module registers it on its blueprint (``register``).

    ``run`` returns the new record's id; success shows the record at ``created``.
    """

    rule: str
    endpoint: str
    title: Any
    schema: Callable[[], Schema]
    run: Callable[[dict[str, Any]], UUID]
    done: Any
    created: str
    roles: tuple[Role, ...]
    intro: Any = None
    button: Any = None
    template: str = "form.html"
    context: Callable[[], dict[str, Any]] = field(default=lambda: {})
    missing: str | None = None
    created_param: str = "record_id"
    # the created page's address parameters, from the form and the command's result, where
    # its address is not the new record's id alone
    shows: Callable[[Form, object], dict[str, Any]] | None = None

    def register(self, blueprint: Blueprint) -> None:
        """Serve the form at ``rule`` on ``blueprint``, for ``roles`` only."""
        blueprint.add_url_rule(
            self.rule, self.endpoint, requires(*self.roles)(self.page), methods=["GET", "POST"]
        )

    def render(self, form: Form, status: int = 200) -> ResponseReturnValue:
        return (
            render_template(
                self.template,
                title=self.title,
                intro=self.intro,
                button=self.button or self.title,
                form=form,
                specs=specs(self.schema()),
                action_url=url_for(
                    request.endpoint or "", next=next_page(), **(request.view_args or {})
                ),
                **self.context(),
            ),
            status,
        )

    def page(self) -> ResponseReturnValue:
        if request.method == "GET":
            return self.render(Form(values=dict(request.args)))
        form, created, status = attempt(self.schema(), self.run, self.missing)
        if not form.ok or created is None:
            return self.render(form, status if status != 200 else 422)
        flash(str(self.done), "ok")
        back = next_page()
        if back is not None:
            # registered on the way to another form: back to it, the new record now offered
            return redirect(back)
        target = self.shows(form, created) if self.shows else {self.created_param: created}
        return redirect(url_for(self.created, **target))
