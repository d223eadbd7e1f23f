"""crmkit's stores from Python: open(), MemoryStore, SqliteStore, queries, pages, transactions."""

from __future__ import annotations

import datetime as dt
import pathlib
import threading

import numpy as np
import pytest

import crmkit

UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def person(given: str, family: str = "", **fields) -> crmkit.Customer:
    return crmkit.Customer(kind="person", given_name=given, family_name=family, **fields)


def sales_pipeline() -> crmkit.Pipeline:
    return crmkit.Pipeline(
        name="Sales",
        stages=[
            crmkit.Stage(key="lead", name="Lead", category="open", probability=0.1),
            crmkit.Stage(key="won", name="Won", category="won", probability=1.0),
            crmkit.Stage(key="lost", name="Lost", category="lost", probability=0.0),
        ],
    )


def open_deal(customer: int, pipeline: int, title: str, when: str = "2024-01-02T00:00:00") -> crmkit.Deal:
    return crmkit.Deal(
        pipeline=pipeline,
        customer=customer,
        stage="lead",
        title=title,
        amount=crmkit.Money.parse("100.00", "EUR"),
        history=[crmkit.StageChange(to="lead", at=at(when), by="sam")],
        created_at=at(when),
        updated_at=at(when),
    )


@pytest.fixture(params=["memory", "sqlite-file", "sqlite-memory"])
def store(request, tmp_path):
    if request.param == "memory":
        return crmkit.open("memory:")
    if request.param == "sqlite-file":
        return crmkit.open(f"sqlite:{tmp_path / 'crm.db'}")
    return crmkit.open("sqlite::memory:")


# --- open() and the backends ----------------------------------------------------------------------


def test_open_returns_the_backend_classes(tmp_path):
    assert crmkit.registered_backends() == ["memory", "sqlite"]
    memory = crmkit.open("memory:")
    assert isinstance(memory, crmkit.MemoryStore) and isinstance(memory, crmkit.Store)
    assert memory.backend == "memory"
    sqlite = crmkit.open(f"sqlite:{tmp_path / 'a.db'}")
    assert isinstance(sqlite, crmkit.SqliteStore)
    assert sqlite.backend == "sqlite"
    assert sqlite.path == str(tmp_path / "a.db")
    assert (tmp_path / "a.db").exists()
    assert "MemoryStore" in repr(memory) and "a.db" in repr(sqlite)


def test_open_errors():
    with pytest.raises(crmkit.StorageError) as error:
        crmkit.open("postgresqlx://nowhere")
    assert error.value.kind == crmkit.StorageErrorKind.unsupported
    assert "postgresqlx" in str(error.value)
    with pytest.raises(crmkit.ValidationError):
        crmkit.open("no-scheme-here")
    with pytest.raises(TypeError):
        crmkit.open(42)


def test_store_is_abstract():
    with pytest.raises(TypeError):
        crmkit.Store()


def test_memory_store_constructor():
    store = crmkit.MemoryStore()
    assert store.counts() == crmkit.StoreCounts()


def test_sqlite_store_paths_and_options(tmp_path):
    path = tmp_path / "options.db"
    store = crmkit.SqliteStore(path)  # os.PathLike
    assert store.schema_version == crmkit.SqliteStore.current_schema_version > 0
    store.insert_customer(person("Ada"))
    del store

    options = crmkit.SqliteOptions(read_only=True, busy_timeout=dt.timedelta(seconds=1))
    assert options.busy_timeout == dt.timedelta(seconds=1)
    assert options.create and options.read_only and options.cache_kib == 65536
    assert "read_only=True" in repr(options)
    reader = crmkit.SqliteStore(str(path), options)
    assert reader.counts().customers == 1
    with pytest.raises(crmkit.StorageError):
        reader.insert_customer(person("Bob"))
    assert reader.counts().customers == 1

    with pytest.raises(crmkit.StorageError):
        crmkit.SqliteStore(tmp_path / "missing.db", crmkit.SqliteOptions(create=False))
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(TypeError, match="path"):
        crmkit.SqliteStore(12)

    defaults = crmkit.SqliteOptions()
    assert defaults.busy_timeout == dt.timedelta(milliseconds=5000)
    defaults.busy_timeout = dt.timedelta(milliseconds=250)
    defaults.cache_kib = 1024
    assert (defaults.busy_timeout, defaults.cache_kib) == (dt.timedelta(milliseconds=250), 1024)


def test_sqlite_rejects_a_file_that_is_not_a_database(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not an SQLite database, not at all" * 100)
    with pytest.raises(crmkit.StorageError):
        crmkit.SqliteStore(junk)


# --- One round trip through an SQLite file ------------------------------------------------------


def test_sqlite_round_trip_reads_back_equal_objects(tmp_path):
    path = tmp_path / "round.db"
    writer = crmkit.open(f"sqlite:{path}")
    acme = writer.insert_customer(
        crmkit.Customer(kind="organization", legal_name="ACME SA", external_ref="ERP-1", tags={"b2b", "vip"})
    )
    ada = writer.insert_customer(
        person(
            "Ada",
            "Lovelace",
            emails=[crmkit.ContactEmail(address="ada@example.com", label="work", primary=True)],
            memberships=[crmkit.Membership(organization=acme.id, role="CTO")],
            created_at=at("2024-01-01T08:00:00"),
            updated_at=at("2024-01-01T08:00:00"),
        )
    )
    call = writer.insert_interaction(
        crmkit.Interaction(
            channel="phone",
            direction="outbound",
            occurred_at=at("2024-01-03T10:00:00.123456"),
            duration=dt.timedelta(minutes=5),
            subject="Intro",
            customers=[ada.id, acme.id],
        )
    )
    pipeline = writer.insert_pipeline(sales_pipeline())
    deal = writer.insert_deal(open_deal(acme.id, pipeline.id, "Renewal"))
    purchases = [
        crmkit.Purchase(customer=acme.id, occurred_at=at("2024-01-05T00:00:00"),
                        amount=crmkit.Money.parse("10.50", "EUR"), order_ref="A-1", quantity=2.0),
        crmkit.Purchase(customer=ada.id, occurred_at=at("2024-01-06T00:00:00"),
                        amount=crmkit.Money.parse("-3.25", "EUR"), product_ref="SKU"),
    ]
    writer.append_purchases(purchases)
    counts = writer.counts()
    del writer  # the last reference: the file is closed

    reader = crmkit.SqliteStore(path)
    assert reader.counts() == counts == crmkit.StoreCounts(
        customers=2, interactions=1, pipelines=1, deals=1, purchases=2
    )
    assert reader.get_customer(acme.id) == acme
    assert reader.get_customer(ada.id) == ada
    assert reader.get_interaction(call.id) == call
    assert reader.get_pipeline(pipeline.id) == pipeline
    assert reader.get_deal(deal.id) == deal
    assert [reader.get_purchase(p.id) for p in purchases] == purchases
    assert reader.find_customer_by_external_ref("ERP-1") == acme


# --- The Store interface, on every backend ------------------------------------------------------


def test_customers(store):
    draft = person("Ada", "Lovelace", external_ref="C-1",
                   emails=[crmkit.ContactEmail(address="Ada@Example.com", primary=True)],
                   phones=[crmkit.ContactPhone(number="+33 6 12 34 56 78", primary=True)])
    ada = store.insert_customer(draft)
    assert ada.id > 0 and ada.version == 1
    assert draft.id == 0 and draft.version == 0  # the argument is not changed
    assert store.get_customer(ada.id) == ada
    assert store.get_customer(987654) is None
    assert store.find_customer_by_external_ref("C-1") == ada
    assert store.find_customer_by_external_ref("nope") is None
    assert store.find_customers_by_email("ada@EXAMPLE.com") == [ada]
    assert store.find_customers_by_email(crmkit.Email("ada@example.com")) == [ada]
    assert store.find_customers_by_phone("+33612345678") == [ada]
    assert store.find_customers_by_phone(crmkit.Phone("06 12 34 56 78", "FR")) == [ada]
    with pytest.raises(crmkit.ValidationError) as error:
        store.find_customers_by_email("not an address")
    assert error.value.field == "email"

    ada.family_name = "King"
    updated = store.update_customer(ada)
    assert updated.version == 2 and updated.family_name == "King"

    # Optimistic concurrency: `ada` still has version 1.
    ada.given_name = "Augusta"
    with pytest.raises(crmkit.ConflictError) as conflict:
        store.update_customer(ada)
    assert conflict.value.entity == "customer"
    assert store.get_customer(ada.id) == updated

    with pytest.raises(crmkit.ConflictError):  # external ref taken
        store.insert_customer(person("Bob", external_ref="C-1"))
    with pytest.raises(crmkit.NotFoundError) as missing:
        store.update_customer(person("Nobody", id=424242, version=1))
    assert isinstance(missing.value, LookupError)

    assert store.remove_customer(ada.id) is True
    assert store.remove_customer(ada.id) is False
    assert store.counts().customers == 0


def test_customer_queries_and_pages(store):
    ids = []
    for i in range(7):
        customer = store.insert_customer(
            person(f"P{i}", owner="sam" if i % 2 else "alex", tags={"vip"} if i < 3 else set(),
                   lifecycle="customer" if i == 6 else "lead", updated_at=at(f"2024-01-0{i + 1}T00:00:00"))
        )
        ids.append(customer.id)
    organization = store.insert_customer(crmkit.Customer(kind="organization", legal_name="Org"))

    seen = []
    query = crmkit.CustomerQuery(limit=3)
    while True:
        page = store.find_customers(query)
        assert len(page) <= 3
        seen += [customer.id for customer in page]
        if page.next is None:
            break
        assert page.next == page.items[-1].id
        query.after = page.next
    assert seen == ids + [organization.id]

    assert [c.id for c in store.find_customers(crmkit.CustomerQuery(owner="sam")).items] == ids[1::2]
    assert [c.id for c in store.find_customers(crmkit.CustomerQuery(tag="vip"))] == ids[:3]
    assert [c.id for c in store.find_customers(crmkit.CustomerQuery(lifecycle=crmkit.LifecycleStage.customer))] == [ids[6]]
    assert [c.id for c in store.find_customers(crmkit.CustomerQuery(kind="organization"))] == [organization.id]
    since = store.find_customers(crmkit.CustomerQuery(updated_since=at("2024-01-06T00:00:00"), kind="person"))
    assert [c.id for c in since] == ids[5:]

    deleted = store.get_customer(ids[0])
    deleted.deleted_at = at("2024-02-01T00:00:00")
    store.update_customer(deleted)
    assert ids[0] not in [c.id for c in store.find_customers(crmkit.CustomerQuery())]
    assert ids[0] in [c.id for c in store.find_customers(crmkit.CustomerQuery(include_deleted=True))]
    assert store.counts().deleted_customers == 1

    for bad in (0, crmkit.max_page_size + 1):
        with pytest.raises(crmkit.ValidationError) as error:
            store.find_customers(crmkit.CustomerQuery(limit=bad))
        assert "limit" in error.value.field
    with pytest.raises(TypeError):
        crmkit.CustomerQuery(limit=-1)
    with pytest.raises(ValueError, match="LifecycleStage"):
        crmkit.CustomerQuery(lifecycle="retired")


def test_query_types():
    query = crmkit.CustomerQuery(owner="sam", limit=5)
    assert (query.owner, query.tag, query.include_deleted, query.limit) == ("sam", None, False, 5)
    assert repr(query) == "CustomerQuery(owner='sam', include_deleted=False, limit=5)"
    key = crmkit.TimeKey(at=at("2024-01-01T00:00:00"), id=3)
    assert key == crmkit.TimeKey(at="2024-01-01T00:00:00Z", id=3)
    assert key < crmkit.TimeKey(at=key.at, id=4) < crmkit.TimeKey(at=at("2024-01-02T00:00:00"), id=0)
    assert crmkit.TimeKey().at == dt.datetime(1970, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        crmkit.TimeKey(at=dt.datetime(2024, 1, 1))  # naive
    interaction_query = crmkit.InteractionQuery(customer=1, before=key)
    assert interaction_query.before == key and interaction_query.limit == 100
    deal_query = crmkit.DealQuery(status="won", stage="lead")
    assert deal_query.status is crmkit.DealStatus.won
    purchase_query = crmkit.PurchaseQuery(since=at("2024-01-01T00:00:00"))
    assert purchase_query.customer is None
    scan = crmkit.PurchaseScan(currency="EUR")
    assert scan.currency == crmkit.Currency("EUR") and scan.until is None
    page = crmkit.CustomerPage(items=[person("Ada")], next=7)
    assert len(page) == 1 and page.next == 7 and "1 records" in repr(page)
    assert [c.given_name for c in page] == ["Ada"]
    assert [m.value for m in crmkit.DealStatus] == ["open", "won", "lost"]


def test_interactions_and_pages(store):
    ada = store.insert_customer(person("Ada"))
    bob = store.insert_customer(person("Bob"))
    batch = [
        crmkit.Interaction(channel="email", occurred_at=at(f"2024-01-{day:02d}T09:00:00"),
                           subject=f"mail {day}", customers=[ada.id] + ([bob.id] if day % 2 else []))
        for day in range(1, 8)
    ]
    store.append_interactions(batch)
    assert all(item.id > 0 and item.version == 1 for item in batch)  # set in place
    assert len({item.id for item in batch}) == 7
    assert store.get_interaction(batch[0].id) == batch[0]

    seen = []
    query = crmkit.InteractionQuery(customer=ada.id, limit=3)
    while True:
        page = store.find_interactions(query)
        seen += [i.subject for i in page.items]
        if page.next is None:
            break
        assert page.next == crmkit.TimeKey(at=page.items[-1].occurred_at, id=page.items[-1].id)
        query.before = page.next
    assert seen == [f"mail {day}" for day in range(7, 0, -1)]
    assert len(store.find_interactions(crmkit.InteractionQuery(customer=bob.id)).items) == 4
    since = store.find_interactions(crmkit.InteractionQuery(since=at("2024-01-06T00:00:00")))
    assert [i.subject for i in since] == ["mail 7", "mail 6"]

    single = store.insert_interaction(crmkit.Interaction(occurred_at=at("2024-02-01T00:00:00"), customers=[bob.id]))
    single.subject = "edited"
    assert store.update_interaction(single).version == 2
    with pytest.raises(crmkit.ConflictError):
        store.update_interaction(single)
    assert store.remove_interaction(single.id) and not store.remove_interaction(single.id)

    # All or nothing: the second one names an unknown customer.
    bad = [crmkit.Interaction(occurred_at=at("2024-03-01T00:00:00"), customers=[ada.id]),
           crmkit.Interaction(occurred_at=at("2024-03-01T00:00:00"), customers=[999999])]
    with pytest.raises(crmkit.ValidationError) as error:
        store.append_interactions(bad)
    assert error.value.field.startswith("interactions[1]")
    assert bad[0].id == 0 and store.counts().interactions == 7
    with pytest.raises(TypeError):
        store.append_interactions([ada])


def test_pipelines_and_deals(store):
    acme = store.insert_customer(crmkit.Customer(kind="organization", legal_name="ACME"))
    pipeline = store.insert_pipeline(sales_pipeline())
    assert store.list_pipelines() == [pipeline]
    assert store.get_pipeline(pipeline.id) == pipeline and store.get_pipeline(999) is None

    first = store.insert_deal(open_deal(acme.id, pipeline.id, "First"))
    second = store.insert_deal(open_deal(acme.id, pipeline.id, "Second"))
    assert crmkit.status_of(first) is crmkit.DealStatus.open
    won = store.get_deal(second.id)
    won.stage = "won"
    won.won_at = at("2024-01-05T00:00:00")
    won.probability = 1.0
    won.history = won.history + [crmkit.StageChange(from_="lead", to="won", at=won.won_at, by="sam")]
    won = store.update_deal(won)
    assert crmkit.status_of(won) is crmkit.DealStatus.won
    assert [d.id for d in store.find_deals(crmkit.DealQuery(status="won"))] == [won.id]
    assert [d.id for d in store.find_deals(crmkit.DealQuery(status=crmkit.DealStatus.open))] == [first.id]
    assert [d.id for d in store.find_deals(crmkit.DealQuery(pipeline=pipeline.id, limit=1)).items] == [first.id]
    assert store.find_deals(crmkit.DealQuery(pipeline=pipeline.id, limit=1)).next == first.id
    assert [d.id for d in store.find_deals(crmkit.DealQuery(stage="lead"))] == [first.id]

    with pytest.raises(crmkit.ValidationError) as error:  # the stage is not in the pipeline
        store.insert_deal(open_deal(acme.id, pipeline.id, "Bad").__class__(
            pipeline=pipeline.id, customer=acme.id, stage="nowhere", title="Bad",
            amount=crmkit.Money.parse("1.00", "EUR"),
            history=[crmkit.StageChange(to="nowhere", at=at("2024-01-01T00:00:00"))]))
    assert "stage" in error.value.field

    with pytest.raises(crmkit.ConflictError):  # deals use it
        store.remove_pipeline(pipeline.id)
    with pytest.raises(crmkit.ConflictError):  # deals refer to the customer
        store.remove_customer(acme.id)
    assert store.remove_deal(first.id) and store.remove_deal(won.id)
    assert not store.remove_deal(first.id)
    renamed = store.get_pipeline(pipeline.id)
    renamed.name = "Renamed"
    assert store.update_pipeline(renamed).version == 2
    assert store.remove_pipeline(pipeline.id) and not store.remove_pipeline(pipeline.id)


def test_purchases_pages_and_column_scan(store):
    ada = store.insert_customer(person("Ada"))
    bob = store.insert_customer(person("Bob"))
    rows = [(ada.id, "2024-01-01T10:00:00", "10.00"), (bob.id, "2024-01-02T11:00:00", "20.50"),
            (ada.id, "2024-01-03T12:00:00", "-5.25"), (bob.id, "2024-01-04T13:00:00", "7.00")]
    purchases = [crmkit.Purchase(customer=c, occurred_at=at(t), amount=crmkit.Money.parse(a, "EUR"))
                 for c, t, a in rows]
    store.append_purchases(purchases)
    assert [p.id for p in purchases] == sorted(p.id for p in purchases) and purchases[0].id > 0

    columns = store.scan_purchases()
    assert len(columns) == columns.size() == 4
    assert columns.currency == crmkit.Currency("EUR")
    assert columns.customer_ids.dtype == np.int64
    assert columns.customer_ids.tolist() == [r[0] for r in rows]
    assert columns.amounts_minor.tolist() == [1000, 2050, -525, 700]
    expected_us = [int((at(r[1]) - dt.datetime(1970, 1, 1, tzinfo=UTC)) / dt.timedelta(microseconds=1)) for r in rows]
    assert columns.times_us.tolist() == expected_us
    assert columns.times_us.view("datetime64[us]")[0] == np.datetime64("2024-01-01T10:00:00")
    ids_view = columns.customer_ids
    del columns  # the arrays keep their owner alive
    assert ids_view.tolist() == [r[0] for r in rows]

    window = store.scan_purchases(crmkit.PurchaseScan(since=at("2024-01-02T00:00:00"), until=at("2024-01-04T00:00:00")))
    assert window.amounts_minor.tolist() == [2050, -525]
    store.append_purchases([crmkit.Purchase(customer=ada.id, occurred_at=at("2024-01-05T00:00:00"),
                                            amount=crmkit.Money.parse("1", "USD"))])
    with pytest.raises(crmkit.ValidationError):  # two currencies without a filter
        store.scan_purchases()
    assert store.scan_purchases(crmkit.PurchaseScan(currency="USD")).amounts_minor.tolist() == [100]
    empty = crmkit.MemoryStore().scan_purchases()
    assert len(empty) == 0 and empty.currency.code == "XXX"

    page = store.find_purchases(crmkit.PurchaseQuery(customer=ada.id, limit=1))
    assert [p.id for p in page] == [store.find_purchases(crmkit.PurchaseQuery(customer=ada.id)).items[0].id]
    second = store.find_purchases(crmkit.PurchaseQuery(customer=ada.id, limit=1, before=page.next))
    assert second.items[0].amount == crmkit.Money.parse("-5.25", "EUR")
    assert store.get_purchase(purchases[1].id) == purchases[1]
    assert store.remove_purchase(purchases[1].id) and store.get_purchase(purchases[1].id) is None

    before = store.counts()
    bad = [crmkit.Purchase(customer=ada.id, occurred_at=at("2024-02-01T00:00:00"), amount=crmkit.Money.parse("1", "EUR")),
           crmkit.Purchase(customer=ada.id, occurred_at=at("2024-02-01T00:00:00"), amount=crmkit.Money.parse("1", "EUR"),
                           quantity=-1.0)]
    with pytest.raises(crmkit.ValidationError) as error:
        store.append_purchases(bad)
    assert error.value.field == "purchases[1].quantity"
    assert store.counts() == before and bad[0].id == 0


# --- Transactions ---------------------------------------------------------------------------------


def test_transaction_commits_at_the_end_of_the_block(store):
    with store.transaction() as tx:
        assert tx.active and isinstance(tx, crmkit.Transaction)
        store.insert_customer(person("Ada"))
        store.insert_customer(person("Bob"))
    assert not tx.active
    assert store.counts().customers == 2
    assert "active=False" in repr(tx)


def test_transaction_rolls_back_on_an_exception_and_reraises(store):
    store.insert_customer(person("Kept"))
    with pytest.raises(KeyError):
        with store.transaction():
            store.insert_customer(person("Ada"))
            raise KeyError("boom")
    assert store.counts().customers == 1


def test_a_failed_write_in_a_transaction_leaves_the_store_as_it_was(store):
    before = store.counts()
    with pytest.raises(crmkit.ValidationError) as error:
        with store.transaction():
            store.insert_customer(person("Ada"))
            store.insert_customer(person("Bob", emails=[crmkit.ContactEmail(address="bob@example.com")]))
            store.insert_customer(person(""))  # a person without a name
    assert error.value.field.startswith("customer.")
    assert isinstance(error.value, ValueError)
    assert store.counts() == before
    assert store.find_customers(crmkit.CustomerQuery()).items == []


def test_explicit_commit_rollback_and_misuse(store):
    tx = store.begin()
    store.insert_customer(person("Ada"))
    tx.rollback()
    assert not tx.active and store.counts().customers == 0
    tx.rollback()  # does nothing
    with pytest.raises(crmkit.StorageError) as error:
        tx.commit()
    assert error.value.kind is crmkit.StorageErrorKind.transaction
    with pytest.raises(crmkit.StorageError) as error:
        with tx:
            pass
    assert error.value.kind is crmkit.StorageErrorKind.transaction

    tx = store.transaction()
    store.insert_customer(person("Bob"))
    tx.commit()
    with pytest.raises(crmkit.StorageError):
        tx.commit()
    assert store.counts().customers == 1

    # Ended inside the block: the block's end does nothing more.
    with store.transaction() as inner:
        store.insert_customer(person("Cy"))
        inner.rollback()
    assert store.counts().customers == 1


def test_nested_transactions_are_savepoints(store):
    with store.transaction():
        store.insert_customer(person("Outer"))
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.insert_customer(person("Inner"))
                raise RuntimeError("undo the inner one only")
    assert [c.given_name for c in store.find_customers(crmkit.CustomerQuery())] == ["Outer"]


def test_a_transaction_dropped_while_active_rolls_back(store):
    tx = store.transaction()
    store.insert_customer(person("Ada"))
    del tx
    assert store.counts().customers == 0


def test_a_transaction_keeps_its_store_alive():
    tx = crmkit.open("memory:").transaction()
    tx.commit()  # the store is still there


def test_a_transaction_must_end_on_its_own_thread(store):
    tx = store.transaction()
    errors = []

    def other_thread():
        try:
            tx.commit()
        except crmkit.StorageError as error:
            errors.append(error)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert len(errors) == 1 and errors[0].kind is crmkit.StorageErrorKind.transaction
    assert tx.active
    tx.rollback()


def test_other_threads_wait_for_a_transaction_without_deadlock(store):
    # The other thread blocks on the store's lock while this one holds it in a transaction: it must
    # release the GIL while it waits, or this thread could never reach commit().
    results = []
    with store.transaction():
        store.insert_customer(person("Ada"))
        thread = threading.Thread(target=lambda: results.append(store.counts().customers))
        thread.start()
        thread.join(timeout=0.2)  # it waits for the transaction
        store.insert_customer(person("Bob"))
    thread.join()
    assert results == [2]
