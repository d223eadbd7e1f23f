"""Domain events delivered to Python callables: order, payload, unsubscribing, transactions, and
what a callback that raises does (as in C++: it is ignored, here after sys.unraisablehook saw it)."""

from __future__ import annotations

import datetime as dt
import sys
import threading

import pytest

import crmkit

UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


NOW = {"t": at("2024-03-04T09:00:00")}  # the fixture's clock; tests move it


@pytest.fixture
def crm():
    NOW["t"] = at("2024-03-04T09:00:00")
    return crmkit.Crm(crmkit.open("memory:"), clock=lambda: NOW["t"])


def make_pipeline(crm):
    return crm.create_pipeline(crmkit.Pipeline(name="P", stages=[
        crmkit.Stage(key="lead", name="Lead", category="open", probability=0.1),
        crmkit.Stage(key="won", name="Won", category="won", probability=1.0),
        crmkit.Stage(key="lost", name="Lost", category="lost", probability=0.0),
    ]))


def test_every_event_in_order_with_its_payload(crm):
    events = []
    subscription = crm.subscribe(events.append)
    assert subscription.connected and "connected=True" in repr(subscription)

    ada = crm.create_customer(crmkit.Customer(given_name="Ada"))
    ada.family_name = "Lovelace"
    updated = crm.update_customer(ada)
    deleted = crm.delete_customer(ada.id)
    restored = crm.restore_customer(ada.id)
    call = crm.log_interaction(crmkit.Interaction(subject="Hello", occurred_at=at("2024-03-04T08:00:00"),
                                                  customers=[ada.id]))
    pipeline = make_pipeline(crm)
    deal = crm.open_deal(crmkit.Deal(pipeline=pipeline.id, customer=ada.id, title="D",
                                     amount=crmkit.Money.parse("5.00", "EUR")), by="sam")
    NOW["t"] = at("2024-03-05T09:00:00")
    won = crm.move_deal(deal.id, "won", crmkit.MoveOptions(by="sam"))
    NOW["t"] = at("2024-03-06T09:00:00")
    lost = crm.move_deal(deal.id, "lost", crmkit.MoveOptions(lost_reason="price"))
    crm.record_purchase(crmkit.Purchase(customer=ada.id, occurred_at=at("2024-03-06T00:00:00"),
                                        amount=crmkit.Money.parse("1.00", "EUR")))  # publishes nothing

    assert [crmkit.event_name(e) for e in events] == [
        "customer_created", "customer_updated", "customer_deleted", "customer_updated",
        "interaction_logged", "deal_opened", "deal_stage_changed", "deal_won", "deal_stage_changed", "deal_lost"]
    kinds = [crmkit.CustomerCreated, crmkit.CustomerUpdated, crmkit.CustomerDeleted, crmkit.CustomerUpdated,
             crmkit.InteractionLogged, crmkit.DealOpened, crmkit.DealStageChanged, crmkit.DealWon,
             crmkit.DealStageChanged, crmkit.DealLost]
    assert [type(e) for e in events] == kinds

    created, update, delete, restore, logged, opened, moved, won_event, moved_again, lost_event = events
    assert created.customer.id == ada.id
    assert created.customer.given_name == "Ada" and created.customer.version == 1
    assert update.before.family_name == "" and update.customer == updated
    assert delete.customer == deleted and delete.customer.deleted_at is not None
    assert restore.before == deleted and restore.customer == restored
    assert logged.interaction == call
    assert opened.deal.id == deal.id and opened.deal.stage == "lead"
    assert moved.deal == won and moved.change == won.history[-1]
    assert (moved.change.from_, moved.change.to, moved.change.by) == ("lead", "won", "sam")
    assert won_event.deal == won
    assert moved_again.change.note == "price" and lost_event.deal == lost
    assert "CustomerCreated(customer=" in repr(created)
    assert "DealStageChanged(" in repr(moved) and "DealWon(" in repr(won_event)
    assert repr(lost_event).startswith("DealLost(") and repr(logged).startswith("InteractionLogged(")
    assert repr(opened).startswith("DealOpened(") and repr(delete).startswith("CustomerDeleted(")
    assert repr(update).startswith("CustomerUpdated(")
    subscription.disconnect()


def test_handlers_run_in_subscription_order_and_unsubscribe(crm):
    calls = []
    first = crm.subscribe(lambda e: calls.append(("first", crmkit.event_name(e))))
    second = crm.subscribe(lambda e: calls.append(("second", crmkit.event_name(e))))
    crm.create_customer(crmkit.Customer(given_name="Ada"))
    assert calls == [("first", "customer_created"), ("second", "customer_created")]

    first.unsubscribe()
    assert not first.connected
    first.disconnect()  # idempotent
    crm.create_customer(crmkit.Customer(given_name="Bob"))
    assert calls[2:] == [("second", "customer_created")]

    del second  # dropping the Subscription disconnects too
    crm.create_customer(crmkit.Customer(given_name="Cy"))
    assert len(calls) == 3


def test_subscription_as_a_context_manager(crm):
    names = []
    with crm.subscribe(lambda e: names.append(e.customer.given_name)) as subscription:
        assert subscription.connected
        crm.create_customer(crmkit.Customer(given_name="Ada"))
    assert not subscription.connected
    crm.create_customer(crmkit.Customer(given_name="Bob"))
    assert names == ["Ada"]


def test_a_subscription_may_outlive_its_crm():
    crm = crmkit.Crm(crmkit.open("memory:"))
    subscription = crm.subscribe(lambda e: None)
    del crm
    assert subscription.connected in (True, False)
    subscription.disconnect()
    assert not subscription.connected


def test_events_of_a_transaction_are_published_at_commit_only(crm):
    names = []
    subscription = crm.subscribe(lambda e: names.append(e.customer.given_name))
    with crm.transaction():
        crm.create_customer(crmkit.Customer(given_name="Ada"))
        crm.create_customer(crmkit.Customer(given_name="Bob"))
        assert names == []
    assert names == ["Ada", "Bob"]

    with pytest.raises(RuntimeError):
        with crm.transaction():
            crm.create_customer(crmkit.Customer(given_name="Gone"))
            raise RuntimeError
    tx = crm.transaction()
    crm.create_customer(crmkit.Customer(given_name="Also gone"))
    tx.rollback()
    assert names == ["Ada", "Bob"]
    del subscription


def test_a_raising_callback_is_reported_and_ignored(crm, monkeypatch):
    # As in C++, the write is committed and returns normally, and the other handlers still run; the
    # exception is not lost silently: it goes to sys.unraisablehook.
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: reported.append(info))
    after = []

    def broken(event):
        raise ValueError("handler bug")

    first = crm.subscribe(broken)
    second = crm.subscribe(lambda e: after.append(crmkit.event_name(e)))
    ada = crm.create_customer(crmkit.Customer(given_name="Ada"))
    assert ada.id > 0 and crm.customer(ada.id).given_name == "Ada"
    assert after == ["customer_created"]
    assert len(reported) == 1
    assert isinstance(reported[0].exc_value, ValueError) and str(reported[0].exc_value) == "handler bug"
    assert reported[0].object is broken
    del first, second


def test_a_callback_may_use_the_crm(crm):
    # Re-entrant use from a handler: it runs after the write committed, with the GIL held.
    seen = []

    def handler(event):
        if isinstance(event, crmkit.CustomerCreated):
            seen.append(crm.customer(event.customer.id).given_name)

    subscription = crm.subscribe(handler)
    crm.create_customer(crmkit.Customer(given_name="Ada"))
    assert seen == ["Ada"]
    del subscription


def test_handlers_run_on_the_thread_that_made_the_change(crm):
    threads = []
    subscription = crm.subscribe(lambda e: threads.append(threading.get_ident()))
    worker = threading.Thread(target=lambda: crm.create_customer(crmkit.Customer(given_name="Ada")))
    worker.start()
    worker.join()
    crm.create_customer(crmkit.Customer(given_name="Bob"))
    assert threads == [worker.ident, threading.get_ident()]
    del subscription


def test_subscribe_needs_a_callable(crm):
    with pytest.raises(TypeError):
        crm.subscribe(42)
    with pytest.raises(TypeError):
        crmkit.event_name("customer_created")
