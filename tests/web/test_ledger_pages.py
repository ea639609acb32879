"""The ledger on the web: signed checkpoints as plain text for anyone, the auditor's view of
the last verification, and a record's page warning when verification found it altered."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

import web.pages.ledger as ledger_page
from projections import read_models
from projections.ledger import Checkpointer
from registry.facade import Registry
from registry.ledger.checkpoints import Verification
from registry.ledger.notes import open_checkpoint
from tests.web.conftest import PASSWORD, World, account, sign_in


def signer_of(registry: Registry) -> Checkpointer:
    return Checkpointer(
        read_models(registry), registry.side_stores.checkpoints(), registry.settings
    )


def test_anyone_downloads_the_latest_signed_checkpoint_and_it_verifies(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    checkpointer = signer_of(registry)
    kept = checkpointer.cut()
    assert kept is not None
    response = client.get("/ledger/checkpoint")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    checkpoint = open_checkpoint(response.get_data(as_text=True), checkpointer.signer().verifier)
    assert checkpoint.size == kept.size == registry.max_position()
    by_size = client.get(f"/ledger/checkpoints/{kept.size}")
    assert by_size.get_data(as_text=True) == kept.note
    assert client.get(f"/ledger/checkpoints/{kept.size + 1000}").status_code == 404


def test_the_auditor_sees_the_last_verification_and_others_may_not(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    account(registry, "auditor", "auditor")
    registry.side_stores.checkpoints().record_verification(
        Verification("2026-12-01T08:30:00+00:00", 42, 40, True)
    )
    sign_in(client, "school", PASSWORD)
    assert client.get("/ledger/").status_code == 403
    auditor = client.application.test_client()
    sign_in(auditor, "auditor", PASSWORD)
    page = auditor.get("/ledger/").get_data(as_text=True)
    assert "2026-12-01 08:30（UTC）核验通过：42 个事件与账本一致" in page
    assert "依据涵盖 40 个事件的签名检查点核验" in page


def test_a_records_page_warns_when_verification_found_it_altered(
    app: Flask, registry: Registry, world: World
) -> None:
    client = app.test_client()
    sign_in(client, "school", PASSWORD)
    before = client.get(f"/agreements/{world.agreement}").get_data(as_text=True)
    assert 'data-testid="ledger-problem"' not in before
    registry.side_stores.checkpoints().record_verification(
        Verification(
            "2026-12-03T09:00:00+00:00", 12, 12, False, 9, str(world.agreement), 1, "changed"
        )
    )
    ledger_page._last = (0.0, "", None)  # as the next process would read it
    page = client.get(f"/agreements/{world.agreement}").get_data(as_text=True)
    assert 'data-testid="ledger-problem"' in page and "日志第 9 位" in page
    other = client.get(f"/agreements/{world.others_agreement}").get_data(as_text=True)
    assert 'data-testid="ledger-problem"' not in other
