"""The Crm facade from Python: customers, interactions, timelines, deals, pipeline figures, purchases,
transactions and the clock."""

from __future__ import annotations

import datetime as dt
import decimal
import threading

import pytest

import crmkit

UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


class Clock:
    """A clock moved by hand: deterministic stamps."""

    def __init__(self, start: str = "2024-03-04T09:00:00") -> None:
        self.now = at(start)

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, text: str) -> None:
        self.now = at(text)


def pipeline_draft() -> crmkit.Pipeline:
    return crmkit.Pipeline(
        name="New business",
        stages=[
            crmkit.Stage(key="lead", name="Lead", category="open", probability=0.10, rotting_days=14),
            crmkit.Stage(key="qualified", name="Qualified", category="open", probability=0.30),
            crmkit.Stage(key="proposal", name="Proposal", category="open", probability=0.60),
            crmkit.Stage(key="won", name="Won", category="won", probability=1.0),
            crmkit.Stage(key="lost", name="Lost", category="lost", probability=0.0),
        ],
    )


@pytest.fixture(params=["memory:", "sqlite::memory:"])
def setup(request):
    clock = Clock()
    crm = crmkit.Crm(crmkit.open(request.param), clock=clock, default_region="FR")
    return crm, clock


def test_constructor_and_store():
    store = crmkit.MemoryStore()
    crm = crmkit.Crm(store)
    assert crm.store is store
    assert "MemoryStore" in repr(crm)
    with pytest.raises(crmkit.ValidationError) as error:
        crmkit.Crm(store, default_region="XX")
    assert error.value.field == "options.default_region"
    with pytest.raises(crmkit.ValidationError) as error:
        crmkit.Crm(None)
    assert error.value.field == "store"
    with pytest.raises(TypeError):
        crmkit.Crm(store, clock="not callable")


def test_the_crm_keeps_its_store_alive():
    crm = crmkit.Crm(crmkit.open("memory:"))
    crm.create_customer(crmkit.Customer(given_name="Ada"))
    assert isinstance(crm.store, crmkit.MemoryStore)
    assert crm.store.counts().customers == 1


def test_default_clock_is_the_system_clock():
    crm = crmkit.Crm(crmkit.open("memory:"))
    before = dt.datetime.now(UTC)
    ada = crm.create_customer(crmkit.Customer(given_name="Ada"))
    after = dt.datetime.now(UTC)
    assert before - dt.timedelta(seconds=1) <= ada.created_at <= after + dt.timedelta(seconds=1)


def test_clock_errors_fail_the_call_and_write_nothing():
    store = crmkit.MemoryStore()

    def broken():
        raise OSError("clock unavailable")

    with pytest.raises(OSError, match="clock unavailable"):
        crmkit.Crm(store, clock=broken).create_customer(crmkit.Customer(given_name="Ada"))
    with pytest.raises(ValueError, match="naive"):
        crmkit.Crm(store, clock=lambda: dt.datetime(2024, 1, 1)).create_customer(crmkit.Customer(given_name="Ada"))
    with pytest.raises(TypeError, match="clock"):
        crmkit.Crm(store, clock=lambda: 42).create_customer(crmkit.Customer(given_name="Ada"))
    assert store.counts().customers == 0
    # An ISO 8601 str is a time too (as everywhere in crmkit).
    ada = crmkit.Crm(store, clock=lambda: "2024-05-01T12:00:00Z").create_customer(crmkit.Customer(given_name="Ada"))
    assert ada.created_at == at("2024-05-01T12:00:00")


def test_customers(setup):
    crm, clock = setup
    acme = crm.create_customer(crmkit.Customer(kind="organization", legal_name="ACME SA", external_ref="ERP-1"))
    assert acme.id > 0 and acme.version == 1
    assert acme.created_at == acme.updated_at == clock.now
    claire = crm.create_customer(
        crmkit.Customer(
            given_name="Claire",
            family_name="Dubois",
            emails=[crmkit.ContactEmail(address="Claire.Dubois@ACME.example")],
            phones=[crmkit.ContactPhone(number=crmkit.Phone("06 12 34 56 78", "FR"))],
        )
    )
    assert claire.emails[0].primary and claire.phones[0].primary  # the first becomes primary

    assert crm.customer(claire.id) == claire
    assert crm.find_customer(claire.id) == claire
    assert crm.find_customer(424242) is None
    with pytest.raises(crmkit.NotFoundError) as missing:
        crm.customer(424242)
    assert missing.value.entity == "customer" and missing.value.key == "424242"
    assert crm.find_by_email("claire.dubois@acme.example") == [claire]
    assert crm.find_by_phone("06 12 34 56 78") == [claire]  # read with the default region
    assert crm.find_by_external_ref("ERP-1") == acme
    assert crm.find_by_external_ref("ERP-2") is None
    with pytest.raises(crmkit.ValidationError) as error:
        crm.find_by_email("@@")
    assert error.value.field == "email"
    with pytest.raises(crmkit.ValidationError) as error:
        crm.find_by_phone("not a phone")
    assert error.value.field == "phone"

    clock.set("2024-03-05T10:00:00")
    claire.family_name = "Martin"
    updated = crm.update_customer(claire)
    assert (updated.version, updated.updated_at, updated.created_at) == (2, clock.now, claire.created_at)
    with pytest.raises(crmkit.ConflictError):  # claire still has version 1
        crm.update_customer(claire)
    with pytest.raises(crmkit.ConflictError):
        crm.create_customer(crmkit.Customer(given_name="Other", external_ref="ERP-1"))

    deleted = crm.delete_customer(claire.id)
    assert deleted.deleted() and deleted.deleted_at == clock.now
    assert crm.find_by_email("claire.dubois@acme.example") == []
    assert [c.id for c in crm.customers()] == [acme.id]
    assert [c.id for c in crm.customers(crmkit.CustomerQuery(include_deleted=True))] == [acme.id, claire.id]
    with pytest.raises(crmkit.ValidationError) as error:
        crm.delete_customer(claire.id)
    assert error.value.field == "customer.id"
    restored = crm.restore_customer(claire.id)
    assert restored.deleted_at is None
    with pytest.raises(crmkit.ValidationError):
        crm.restore_customer(claire.id)
    with pytest.raises(crmkit.NotFoundError):
        crm.delete_customer(424242)


def test_invalid_customer_names_the_field(setup):
    crm, _ = setup
    with pytest.raises(crmkit.ValidationError) as error:
        crm.create_customer(crmkit.Customer(kind="organization", legal_name="X", given_name="Y"))
    assert error.value.field.startswith("customer.")
    assert crm.store.counts().customers == 0


def test_interactions_and_paging(setup):
    crm, clock = setup
    ada = crm.create_customer(crmkit.Customer(given_name="Ada"))
    for day in range(1, 6):
        crm.log_interaction(crmkit.Interaction(channel="phone", occurred_at=at(f"2024-03-0{day}T08:00:00"),
                                               subject=f"call {day}", customers=[ada.id]))
    unset = crm.log_interaction(crmkit.Interaction(subject="now", customers=[ada.id]))
    assert unset.occurred_at == clock.now and unset.created_at == clock.now

    subjects, before = [], None
    while True:
        page = crm.interactions(ada.id, before=before, limit=2)
        subjects += [i.subject for i in page]
        if page.next is None:
            break
        before = page.next
    assert subjects == ["call 5", "now", "call 4", "call 3", "call 2", "call 1"]  # now = 03-04 09:00
    with pytest.raises(crmkit.NotFoundError):
        crm.interactions(424242)
    with pytest.raises(crmkit.ValidationError) as error:
        crm.log_interaction(crmkit.Interaction(subject="x", customers=[424242]))
    assert error.value.field.startswith("interaction.customers")


def open_and_close_a_deal(crm, clock):
    acme = crm.create_customer(crmkit.Customer(kind="organization", legal_name="ACME"))
    claire = crm.create_customer(crmkit.Customer(given_name="Claire", memberships=[crmkit.Membership(organization=acme.id)]))
    pipeline = crm.create_pipeline(pipeline_draft())
    clock.set("2024-03-04T10:00:00")
    deal = crm.open_deal(
        crmkit.Deal(pipeline=pipeline.id, customer=acme.id, title="Fleet",
                    contacts=[crmkit.DealContact(person=claire.id, role="buyer")],
                    amount=crmkit.Money.parse("48000.00", "EUR")),
        by="sam",
    )
    clock.set("2024-03-05T15:00:00")
    crm.move_deal(deal.id, "qualified", crmkit.MoveOptions(by="sam"))
    clock.set("2024-03-08T11:00:00")
    crm.move_deal(deal.id, "proposal", crmkit.MoveOptions(by="sam"))
    clock.set("2024-03-16T16:30:00")
    won = crm.move_deal(deal.id, "won", crmkit.MoveOptions(by="sam"))
    return acme, claire, pipeline, won


def test_deals_move_through_the_pipeline(setup):
    crm, clock = setup
    acme, claire, pipeline, won = open_and_close_a_deal(crm, clock)
    assert crm.pipeline(pipeline.id) == pipeline and crm.pipelines() == [pipeline]
    with pytest.raises(crmkit.NotFoundError):
        crm.pipeline(424242)
    assert won.stage == "won" and won.won_at == at("2024-03-16T16:30:00") and won.probability == 1.0
    assert [(c.from_, c.to, c.by) for c in won.history] == [
        (None, "lead", "sam"), ("lead", "qualified", "sam"), ("qualified", "proposal", "sam"), ("proposal", "won", "sam")]
    assert crm.deal(won.id) == won
    assert crmkit.status_of(won) is crmkit.DealStatus.won
    assert [d.id for d in crm.deals(crmkit.DealQuery(status="won"))] == [won.id]
    assert [d.id for d in crm.deals()] == [won.id]

    # Refused moves name the field and change nothing.
    with pytest.raises(crmkit.ValidationError) as error:
        crm.move_deal(won.id, "won")
    assert error.value.field == "stage"
    with pytest.raises(crmkit.ValidationError) as error:
        crm.move_deal(won.id, "lost")
    assert error.value.field == "lost_reason"
    with pytest.raises(crmkit.ValidationError) as error:
        crm.move_deal(won.id, "lead", crmkit.MoveOptions(at=at("2024-01-01T00:00:00")))
    assert error.value.field == "at"
    assert crm.deal(won.id) == won

    lost = crm.move_deal(won.id, "lost", crmkit.MoveOptions(by="alex", lost_reason="price", at=at("2024-03-17T00:00:00")))
    assert lost.lost_reason == "price" and lost.won_at is None and lost.lost_at == at("2024-03-17T00:00:00")
    clock.set("2024-03-18T00:00:00")
    reopened = crm.move_deal(won.id, "lead")
    assert reopened.lost_at is None and reopened.probability is None

    reopened.title = "Fleet 2"
    assert crm.update_deal(reopened).title == "Fleet 2"
    with pytest.raises(crmkit.ConflictError):
        crm.update_deal(reopened)
    with pytest.raises(crmkit.NotFoundError):
        crm.deal(424242)
    with pytest.raises(crmkit.NotFoundError):
        crm.open_deal(crmkit.Deal(pipeline=424242, customer=acme.id, title="x", amount=crmkit.Money.parse("1", "EUR")))


def effective_weighted(deals, pipeline):
    """The weighted value computed independently, with decimal.Decimal."""
    probability = {stage.key: stage.probability for stage in pipeline.stages}
    totals = {}
    for deal in deals:
        category = next(s.category for s in pipeline.stages if s.key == deal.stage)
        if category is not crmkit.StageCategory.open:
            continue
        p = deal.probability if deal.probability is not None else probability[deal.stage]
        amount = deal.amount.to_decimal()
        weighted = (amount * decimal.Decimal(repr(p))).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_EVEN)
        total, weight, count = totals.get(deal.amount.currency.code, (0, 0, 0))
        totals[deal.amount.currency.code] = (total + amount, weight + weighted, count + 1)
    return totals


def test_pipeline_figures(setup):
    crm, clock = setup
    acme, _, pipeline, won = open_and_close_a_deal(crm, clock)
    clock.set("2024-03-20T09:00:00")
    crm.open_deal(crmkit.Deal(pipeline=pipeline.id, customer=acme.id, title="Support", stage="proposal",
                              amount=crmkit.Money.parse("12000.00", "EUR"), expected_close=dt.date(2024, 4, 30)), by="alex")
    clock.set("2024-03-21T14:00:00")
    crm.open_deal(crmkit.Deal(pipeline=pipeline.id, customer=acme.id, title="Pilot",
                              amount=crmkit.Money.parse("8000.00", "USD"), probability=0.25), by="alex")
    crm.open_deal(crmkit.Deal(pipeline=pipeline.id, customer=acme.id, title="Odd",
                              amount=crmkit.Money.parse("333.35", "EUR")), by="alex")

    values = crm.weighted_value(pipeline.id)
    deals = crm.deals().items
    expected = effective_weighted(deals, pipeline)
    assert [v.currency.code for v in values] == sorted(expected)
    for value in values:
        total, weighted, count = expected[value.currency.code]
        assert (value.total.to_decimal(), value.weighted.to_decimal(), value.open_deals) == (total, weighted, count)
    assert [(v.currency.code, str(v.weighted)) for v in values] == [("EUR", "7233.34 EUR"), ("USD", "2000.00 USD")]
    assert "PipelineValue(" in repr(values[0])
    # The free function gives the same on the deals we hold.
    free = crmkit.weighted_value(deals, pipeline)
    assert [(v.currency, v.total, v.weighted, v.open_deals) for v in free] == \
        [(v.currency, v.total, v.weighted, v.open_deals) for v in values]

    months = crm.weighted_value_by_close_month(pipeline.id)
    assert [(m.month, m.currency.code, m.open_deals) for m in months] == [
        (dt.date(2024, 4, 1), "EUR", 1), (None, "EUR", 1), (None, "USD", 1)]
    assert str(months[0].weighted) == "7200.00 EUR" and str(months[0].total) == "12000.00 EUR"
    assert [(m.month, m.weighted) for m in crmkit.weighted_value_by_close_month(deals, pipeline)] == \
        [(m.month, m.weighted) for m in months]

    # Time in stage, computed independently from the history.
    stages = crm.time_in_stage(won.id)
    history = won.history
    expected_times = {}
    for entry, following in zip(history, history[1:] + [None]):
        end = following.at if following else won.won_at
        expected_times[entry.to] = expected_times.get(entry.to, dt.timedelta()) + (end - entry.at)
    assert [(s.stage, s.time, s.visits) for s in stages] == [(k, v, 1) for k, v in expected_times.items()]
    assert stages[2].time == dt.timedelta(days=8, hours=5, minutes=30)
    assert crmkit.time_in_stage(won, clock.now) == stages or \
        [(s.stage, s.time) for s in crmkit.time_in_stage(won, clock.now)] == [(s.stage, s.time) for s in stages]
    with pytest.raises(crmkit.NotFoundError):
        crm.time_in_stage(424242)

    summary = crm.average_time_in_stage(pipeline.id)
    assert [s.stage for s in summary] == ["lead", "qualified", "proposal", "won", "lost"]
    lost = next(s for s in summary if s.stage == "lost")
    assert lost.deals == 0 and lost.mean == dt.timedelta(0)
    qualified = next(s for s in summary if s.stage == "qualified")
    assert (qualified.deals, qualified.mean) == (1, expected_times["qualified"])
    free_summary = crmkit.average_time_in_stage(deals, pipeline, clock.now)
    assert [(s.stage, s.mean, s.deals) for s in free_summary] == [(s.stage, s.mean, s.deals) for s in summary]

    pilot = next(d for d in deals if d.title == "Pilot")
    assert not crmkit.is_rotting(pilot, pipeline, at("2024-04-01T00:00:00"))
    assert crmkit.is_rotting(pilot, pipeline, at("2024-04-30T00:00:00"))  # 14 idle days in "lead"
    assert not crmkit.is_rotting(won, pipeline, at("2030-01-01T00:00:00"))


def test_timeline_pages(setup):
    crm, clock = setup
    acme, claire, pipeline, won = open_and_close_a_deal(crm, clock)
    crm.log_interaction(crmkit.Interaction(channel="email", occurred_at=at("2024-03-04T09:30:00"),
                                           subject="Quote", outcome="answered", customers=[acme.id]))
    crm.record_purchase(crmkit.Purchase(customer=acme.id, occurred_at=at("2024-03-18T08:00:00"),
                                        amount=crmkit.Money.parse("48000.00", "EUR"), order_ref="A-1001"))
    full = crm.timeline(acme.id, crmkit.TimelineRequest(limit=100))
    assert full.next is None and len(full) == 6
    assert [e.kind.value for e in full] == ["purchase", "deal_event", "deal_event", "deal_event", "deal_event", "interaction"]
    assert full.entries[0].summary() == "purchase 48000.00 EUR order A-1001"
    assert full.entries[1].summary() == 'deal "Fleet" proposal -> won'
    assert full.entries[-1].summary() == 'email inbound "Quote" (answered)'
    event = full.entries[1].item
    assert isinstance(event, crmkit.DealEvent)
    assert (event.deal, event.title, event.category, event.sequence) == (won.id, "Fleet", crmkit.StageCategory.won, 3)
    assert event.change == won.history[3]
    assert isinstance(full.entries[0].item, crmkit.Purchase)
    assert isinstance(full.entries[-1].item, crmkit.Interaction)
    assert full.entries[0].at == at("2024-03-18T08:00:00")

    paged, request = [], crmkit.TimelineRequest(limit=4)
    assert request.before is None
    while True:
        page = crm.timeline(acme.id, request)
        paged += [e.summary() for e in page.entries]
        if page.next is None:
            break
        assert page.next == page.entries[-1].cursor()
        request.before = page.next
    assert paged == [e.summary() for e in full.entries]

    cursor = crmkit.TimelineCursor(at=at("2024-03-10T00:00:00"), kind="deal_event", id=0, sequence=0)
    older = crm.timeline(acme.id, crmkit.TimelineRequest(before=cursor))
    assert [e.summary() for e in older][0] == 'deal "Fleet" qualified -> proposal'
    with pytest.raises(crmkit.ValidationError) as error:
        crm.timeline(acme.id, crmkit.TimelineRequest(limit=0))
    assert error.value.field == "limit"
    with pytest.raises(crmkit.NotFoundError):
        crm.timeline(424242)
    assert [k.value for k in crmkit.TimelineKind] == ["interaction", "deal_event", "purchase"]


def test_purchases(setup):
    crm, _ = setup
    ada = crm.create_customer(crmkit.Customer(given_name="Ada"))
    one = crm.record_purchase(crmkit.Purchase(customer=ada.id, occurred_at=at("2024-01-01T00:00:00"),
                                              amount=crmkit.Money.parse("9.99", "EUR")))
    assert one.id > 0
    batch = [crmkit.Purchase(customer=ada.id, occurred_at=at(f"2024-01-0{d}T00:00:00"),
                             amount=crmkit.Money.parse(f"{d}.00", "EUR")) for d in range(2, 5)]
    crm.record_purchases(batch)
    assert [p.id for p in batch] == [one.id + 1, one.id + 2, one.id + 3]
    bad = [crmkit.Purchase(customer=ada.id, occurred_at=at("2024-02-01T00:00:00"), amount=crmkit.Money.parse("1", "EUR")),
           crmkit.Purchase(customer=424242, occurred_at=at("2024-02-01T00:00:00"), amount=crmkit.Money.parse("1", "EUR"))]
    with pytest.raises(crmkit.ValidationError) as error:
        crm.record_purchases(bad)
    assert error.value.field == "purchases[1].customer"
    with pytest.raises(TypeError, match=r"purchases\[0\]"):
        crm.record_purchases([ada])
    assert crm.store.counts().purchases == 4


def test_crm_transactions(setup):
    crm, _ = setup
    with crm.transaction() as tx:
        assert tx.active and isinstance(tx, crmkit.Crm.Transaction)
        acme = crm.create_customer(crmkit.Customer(kind="organization", legal_name="ACME"))
        crm.create_customer(crmkit.Customer(given_name="Ann", memberships=[crmkit.Membership(organization=acme.id)]))
    assert not tx.active and crm.store.counts().customers == 2

    with pytest.raises(ZeroDivisionError):
        with crm.transaction():
            crm.create_customer(crmkit.Customer(given_name="Gone"))
            1 / 0
    assert crm.store.counts().customers == 2

    # A bad write among good ones: nothing stored, the error names the field.
    with pytest.raises(crmkit.ValidationError) as error:
        with crm.transaction():
            crm.create_customer(crmkit.Customer(given_name="Good"))
            crm.create_customer(crmkit.Customer(given_name="Bad", emails=[crmkit.ContactEmail(address="b@example.com"),
                                                                           crmkit.ContactEmail(address="c@example.com", primary=True),
                                                                           crmkit.ContactEmail(address="d@example.com", primary=True)]))
    assert error.value.field.startswith("customer.emails")
    assert crm.store.counts().customers == 2

    tx = crm.transaction()
    crm.create_customer(crmkit.Customer(given_name="Later"))
    tx.rollback()
    tx.rollback()
    with pytest.raises(crmkit.StorageError) as misuse:
        tx.commit()
    assert misuse.value.kind is crmkit.StorageErrorKind.transaction
    with pytest.raises(crmkit.StorageError):
        with tx:
            pass
    tx = crm.transaction()
    crm.create_customer(crmkit.Customer(given_name="Kept"))
    tx.commit()
    assert crm.store.counts().customers == 3
    assert "active=False" in repr(tx)

    with crm.transaction():
        crm.create_customer(crmkit.Customer(given_name="Outer"))
        with pytest.raises(KeyError):
            with crm.transaction():
                crm.create_customer(crmkit.Customer(given_name="Inner"))
                raise KeyError("inner only")
    names = {c.given_name for c in crm.customers()}
    assert "Outer" in names and "Inner" not in names


def test_crm_transaction_on_another_thread_is_refused():
    crm = crmkit.Crm(crmkit.open("memory:"))
    tx = crm.transaction()
    errors = []
    thread = threading.Thread(target=lambda: errors.append(pytest.raises(crmkit.StorageError, tx.commit)))
    thread.start()
    thread.join()
    assert errors and errors[0].value.kind is crmkit.StorageErrorKind.transaction
    tx.rollback()


def test_a_crm_transaction_keeps_the_crm_alive():
    tx = crmkit.Crm(crmkit.open("memory:")).transaction()
    tx.commit()


def test_move_options_and_requests():
    options = crmkit.MoveOptions(by="sam", at="2024-01-01T00:00:00Z")
    assert (options.by, options.lost_reason, options.at) == ("sam", "", at("2024-01-01T00:00:00"))
    assert repr(crmkit.MoveOptions()) == "MoveOptions(by='', lost_reason='')"
    request = crmkit.TimelineRequest()
    assert (request.before, request.limit) == (None, 50)
    cursor = crmkit.TimelineCursor()
    assert cursor == crmkit.TimelineCursor(at=dt.datetime(1970, 1, 1, tzinfo=UTC), kind="interaction")
    assert cursor != crmkit.TimelineCursor(id=1)
    cursor.sequence = 2
    assert "sequence=2" in repr(cursor)
