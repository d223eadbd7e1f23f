"""crmkit domain types from Python: keyword constructors with the C++ defaults, value fields,
enums, repr, equality, copies, and validation errors naming the field."""

import copy
import csv
import datetime
import enum
import os
import pathlib

import pytest

import crmkit

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 1, 2, 9, 30, tzinfo=UTC)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
DATA = pathlib.Path(os.environ.get("CRMKIT_TEST_DATA_DIR", pathlib.Path(__file__).parents[3] / "tests" / "data"))

# The names each C++ to_string writes (include/crmkit/domain/*.hpp), in enumerator order.
ENUMS = {
    crmkit.CustomerKind: ["person", "organization"],
    crmkit.LifecycleStage: ["lead", "prospect", "customer", "inactive"],
    crmkit.ConsentStatus: ["unknown", "granted", "withdrawn"],
    crmkit.LawfulBasis: [
        "none",
        "consent",
        "contract",
        "legal_obligation",
        "vital_interests",
        "public_task",
        "legitimate_interests",
    ],
    crmkit.Channel: ["email", "phone", "meeting", "chat", "sms", "web", "social", "letter", "in_person", "other"],
    crmkit.Direction: ["inbound", "outbound", "internal"],
    crmkit.StageCategory: ["open", "won", "lost"],
}

CLASSES = [
    crmkit.Consent,
    crmkit.ContactEmail,
    crmkit.ContactPhone,
    crmkit.PostalAddress,
    crmkit.Membership,
    crmkit.Customer,
    crmkit.Interaction,
    crmkit.Purchase,
    crmkit.Stage,
    crmkit.Pipeline,
    crmkit.DealContact,
    crmkit.StageChange,
    crmkit.Deal,
]


def ada(**changes):
    fields = dict(
        id=3,
        kind="person",
        given_name="Ada",
        family_name="Lovelace",
        emails=[crmkit.ContactEmail(address="ada@example.org", label="work", primary=True)],
        phones=[crmkit.ContactPhone(number=crmkit.Phone("06 12 34 56 78", "FR"), primary=True)],
        addresses=[crmkit.PostalAddress(lines=["12 rue de la Paix"], city="Paris", country="FR", primary=True)],
        memberships=[crmkit.Membership(organization=9, role="CTO")],
        external_ref="C-1",
        owner="sam",
        tags={"vip", "newsletter"},
        lifecycle=crmkit.LifecycleStage.customer,
        source="web-form",
        consent=crmkit.Consent(status="granted", at=T0, basis="consent"),
        attributes={"score": 7},
        created_at=T0,
        updated_at=T0,
        version=1,
    )
    fields.update(changes)
    return crmkit.Customer(**fields)


def sales_pipeline():
    return crmkit.Pipeline(
        id=1,
        name="New business",
        stages=[
            crmkit.Stage(key="lead", name="Lead", probability=0.1, rotting_days=14),
            crmkit.Stage(key="proposal", name="Proposal sent", probability=0.5),
            crmkit.Stage(key="won", name="Won", category="won", probability=1.0),
            crmkit.Stage(key="lost", name="Lost", category=crmkit.StageCategory.lost),
        ],
    )


def open_deal(**changes):
    fields = dict(
        id=5,
        pipeline=1,
        stage="proposal",
        customer=3,
        contacts=[crmkit.DealContact(person=3, role="decision maker")],
        title="Analytical engine",
        amount=crmkit.Money("12000.00", "EUR"),
        expected_close=datetime.date(2024, 3, 31),
        owner="sam",
        history=[
            crmkit.StageChange(to="lead", at=T0, by="sam"),
            crmkit.StageChange(from_="lead", to="proposal", at=T0 + datetime.timedelta(days=3), by="sam"),
        ],
        created_at=T0,
        updated_at=T0 + datetime.timedelta(days=3),
        version=2,
    )
    fields.update(changes)
    return crmkit.Deal(**fields)


# --- enums --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", list(ENUMS))
def test_enums(cls):
    assert issubclass(cls, enum.Enum)
    assert cls.__module__ == "crmkit"
    assert [m.value for m in cls] == ENUMS[cls]
    assert [m.name for m in cls] == ENUMS[cls]
    assert cls.__doc__
    for name in ENUMS[cls]:
        assert cls(name) is getattr(cls, name)
    with pytest.raises(ValueError) as info:
        cls("no-such-name")
    assert "no-such-name" in str(info.value)


def test_enum_arguments_take_members_or_their_names():
    assert crmkit.Customer(kind="organization").kind is crmkit.CustomerKind.organization
    assert crmkit.Customer(kind=crmkit.CustomerKind.organization).kind is crmkit.CustomerKind.organization
    i = crmkit.Interaction(channel="in_person", direction="outbound")
    assert (i.channel, i.direction) == (crmkit.Channel.in_person, crmkit.Direction.outbound)
    i.channel = "sms"
    assert i.channel is crmkit.Channel.sms
    with pytest.raises(ValueError) as info:
        crmkit.Interaction(channel="pigeon")
    message = str(info.value)
    assert "'pigeon' is not a crmkit.Channel" in message
    assert ", ".join(ENUMS[crmkit.Channel]) in message
    with pytest.raises(TypeError):
        crmkit.Interaction(channel=1)
    with pytest.raises(TypeError):  # a member of another enum
        crmkit.Interaction(channel=crmkit.Direction.inbound)


# --- defaults and fields ------------------------------------------------------------------------


def test_customer_defaults_are_the_cpp_defaults():
    c = crmkit.Customer()
    assert c.id == 0 and c.version == 0
    assert c.kind is crmkit.CustomerKind.person
    assert c.lifecycle is crmkit.LifecycleStage.lead
    assert (c.given_name, c.family_name, c.legal_name, c.owner, c.source) == ("", "", "", "", "")
    assert c.emails == [] and c.phones == [] and c.addresses == [] and c.memberships == []
    assert c.tags == set() and c.attributes == {}
    assert c.external_ref is None and c.deleted_at is None and not c.deleted()
    assert c.created_at == EPOCH and c.updated_at == EPOCH
    assert c.consent == crmkit.Consent()
    assert c.consent.status is crmkit.ConsentStatus.unknown and c.consent.basis is crmkit.LawfulBasis.none
    assert c.consent.at is None
    assert c.primary_email() is None and c.primary_phone() is None


def test_other_defaults():
    i = crmkit.Interaction()
    assert (i.channel, i.direction) == (crmkit.Channel.other, crmkit.Direction.inbound)
    assert i.duration == datetime.timedelta(0) and i.occurred_at == EPOCH
    assert i.customers == [] and i.deal is None and i.external_ref is None and i.version == 0
    p = crmkit.Purchase()
    assert p.amount == crmkit.Money(0, "XXX") and p.quantity is None and p.customer == 0
    s = crmkit.Stage()
    assert (s.key, s.name, s.category, s.probability, s.rotting_days) == ("", "", crmkit.StageCategory.open, 0.0, None)
    d = crmkit.Deal()
    assert d.amount == crmkit.Money(0, "XXX") and d.probability is None and d.history == []
    assert d.won_at is None and d.lost_at is None and d.expected_close is None
    assert crmkit.StageChange().from_ is None
    assert crmkit.Pipeline().stages == []
    assert crmkit.Membership().organization == 0 and crmkit.DealContact().person == 0
    a = crmkit.PostalAddress()
    assert a.lines == [] and a.primary is False


def test_constructors_are_keyword_only():
    with pytest.raises(TypeError):
        crmkit.Customer(3)
    with pytest.raises(TypeError):
        crmkit.Customer(nickname="x")
    with pytest.raises(TypeError):
        crmkit.ContactEmail()  # the address is required (an Email has no default)


def test_customer_fields_read_and_write():
    c = ada()
    assert c.id == 3 and c.given_name == "Ada" and c.family_name == "Lovelace"
    assert c.emails[0].address == crmkit.Email("ada@example.org")
    assert str(c.phones[0].number) == "+33612345678"
    assert c.addresses[0].lines == ["12 rue de la Paix"]
    assert c.memberships == [crmkit.Membership(organization=9, role="CTO")]
    assert c.tags == {"vip", "newsletter"}
    assert c.consent.status is crmkit.ConsentStatus.granted and c.consent.at == T0
    assert c.display_name() == "Ada Lovelace"
    assert c.primary_email().address.lookup_key() == "ada@example.org"
    assert c.primary_phone().number == crmkit.Phone("+33612345678")
    c.given_name = "Augusta"
    c.tags = ["a", "b", "a"]  # any iterable of str
    assert c.tags == {"a", "b"}
    c.tags = ("c",)
    assert c.tags == {"c"}
    with pytest.raises(TypeError):
        c.tags = "vip"  # a lone str is not a set of tags
    with pytest.raises(TypeError):
        c.tags = [1]
    c.deleted_at = T0
    assert c.deleted() and c.display_name() == "Augusta Lovelace"
    org = crmkit.Customer(kind="organization", legal_name="ACME SA")
    assert org.display_name() == "ACME SA"
    with pytest.raises(TypeError):
        c.version = "one"


def test_fields_are_values():
    c = ada()
    c.tags.add("ignored")
    c.emails.append(crmkit.ContactEmail(address="x@example.org"))
    c.consent.status = crmkit.ConsentStatus.withdrawn
    c.attributes["new"] = 1
    assert c.tags == {"vip", "newsletter"}
    assert len(c.emails) == 1
    assert c.consent.status is crmkit.ConsentStatus.granted
    assert "new" not in c.attributes
    # assigning the whole value works
    c.tags = c.tags | {"kept"}
    emails = c.emails
    emails[0].primary = False
    emails.append(crmkit.ContactEmail(address="ada@work.example", primary=True))
    c.emails = emails
    consent = c.consent
    consent.status = "withdrawn"
    c.consent = consent
    assert "kept" in c.tags
    assert c.primary_email().address == crmkit.Email("ada@work.example")
    assert c.consent.status is crmkit.ConsentStatus.withdrawn


def test_contact_points_take_str_or_values():
    e = crmkit.ContactEmail(address="  Ada@Example.ORG ", label="home")
    assert str(e.address) == "Ada@example.org" and e.primary is False
    e.address = "b@example.org"
    assert e.address == crmkit.Email("b@example.org")
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.ContactEmail(address="ada@")
    assert info.value.field == "email"
    with pytest.raises(crmkit.ValidationError):
        e.address = "not an email"
    with pytest.raises(TypeError):
        crmkit.ContactEmail(address=42)
    p = crmkit.ContactPhone(number="+44 20 7946 0958", label="office", primary=True)
    assert str(p.number) == "+442079460958"
    with pytest.raises(crmkit.ValidationError):
        crmkit.ContactPhone(number="020 7946 0958")  # national: build Phone(text, "GB")
    assert crmkit.ContactPhone(number=crmkit.Phone("020 7946 0958", "GB")).number == p.number


def test_interaction_duration():
    i = crmkit.Interaction(duration=datetime.timedelta(minutes=5), customers=[1, 2], deal=4, occurred_at=T0)
    assert i.duration == datetime.timedelta(seconds=300)
    i.duration = 90
    assert i.duration == datetime.timedelta(seconds=90)
    with pytest.raises(ValueError, match="whole seconds"):
        i.duration = datetime.timedelta(seconds=1.5)
    with pytest.raises(TypeError):
        i.duration = 1.5
    assert i.customers == [1, 2] and i.deal == 4
    i.deal = None
    assert i.deal is None


def test_deal_and_pipeline_methods():
    p = sales_pipeline()
    assert p.find_stage("proposal") == crmkit.Stage(key="proposal", name="Proposal sent", probability=0.5)
    assert p.find_stage("nope") is None
    assert p.stage_index("won") == 2 and p.stage_index("nope") is None
    assert p.first_open_stage().key == "lead"
    assert crmkit.Pipeline(stages=[crmkit.Stage(key="w", category="won")]).first_open_stage() is None
    d = open_deal()
    assert d.effective_probability(p) == 0.5
    d.probability = 0.8
    assert d.effective_probability(p) == 0.8
    d.stage = "nowhere"
    d.probability = None
    assert d.effective_probability(p) == 0.0
    assert d.stage_entered_at() == T0 + datetime.timedelta(days=3)
    assert crmkit.Deal(created_at=T0).stage_entered_at() == T0
    assert d.expected_close == datetime.date(2024, 3, 31)
    d.expected_close = "2024-04-30"
    assert d.expected_close == datetime.date(2024, 4, 30)
    assert d.history[1].from_ == "lead" and d.history[0].from_ is None


def test_purchase():
    p = crmkit.Purchase(
        id=1, customer=3, occurred_at="2024-01-02T10:00:00+01:00", amount=crmkit.Money("9.99", "EUR"),
        order_ref="SO-1", quantity=2, product_ref="SKU-9",
    )
    assert p.occurred_at == datetime.datetime(2024, 1, 2, 9, tzinfo=UTC)
    assert p.quantity == 2.0 and p.amount.minor_units == 999
    crmkit.validate(p)
    with pytest.raises(TypeError):
        crmkit.Purchase(amount="9.99")  # an amount is a Money


# --- repr, equality, copies ---------------------------------------------------------------------


def test_repr():
    r = repr(ada())
    assert r.startswith("Customer(id=3, kind=<CustomerKind.person: 'person'>")
    assert "given_name='Ada'" in r and "family_name='Lovelace'" in r and "ada@example.org" in r
    assert "legal_name" not in r
    assert "legal_name='ACME'" in repr(crmkit.Customer(kind="organization", legal_name="ACME"))
    assert repr(open_deal()).startswith("Deal(id=5, title='Analytical engine', pipeline=1, stage='proposal'")
    assert "Money('12000.00', 'EUR')" in repr(open_deal())
    assert repr(sales_pipeline()) == "Pipeline(id=1, name='New business', stages=['lead', 'proposal', 'won', 'lost'], version=0)"
    assert repr(crmkit.Stage(key="won", name="Won", category="won", probability=1.0)) == (
        "Stage(key='won', name='Won', category=<StageCategory.won: 'won'>, probability=1.0, rotting_days=None)"
    )
    i = crmkit.Interaction(id=2, channel="email", occurred_at=T0, customers=[3], subject="Hello")
    assert repr(i) == (
        "Interaction(id=2, channel=<Channel.email: 'email'>, direction=<Direction.inbound: 'inbound'>, "
        "occurred_at='2024-01-02T09:30:00Z', customers=[3], subject='Hello')"
    )
    assert "2024-01-02T09:30:00Z" in repr(crmkit.Purchase(occurred_at=T0))
    for cls in CLASSES:
        if cls is crmkit.ContactEmail:
            obj = cls(address="a@b.org")
        elif cls is crmkit.ContactPhone:
            obj = cls(number="+33612345678")
        else:
            obj = cls()
        assert repr(obj).startswith(cls.__name__ + "(")


def test_equality_and_unhashable():
    assert ada() == ada()
    assert ada() != ada(given_name="Augusta")
    assert ada() != ada(attributes={"score": 8})
    assert ada() != "Ada"
    assert open_deal() == open_deal() and open_deal() != open_deal(amount=crmkit.Money("1", "EUR"))
    assert sales_pipeline() == sales_pipeline()
    for cls in CLASSES:
        assert cls.__hash__ is None
    with pytest.raises(TypeError):
        hash(ada())


@pytest.mark.parametrize("make", [ada, open_deal, sales_pipeline, lambda: crmkit.Interaction(customers=[1])])
def test_copies_are_independent(make):
    original = make()
    for clone in (copy.copy(original), copy.deepcopy(original)):
        assert clone == original and clone is not original
        clone.version = 99
        assert original.version != 99
        assert clone != original


@pytest.mark.parametrize(
    "make",
    [
        ada,
        open_deal,
        sales_pipeline,
        lambda: crmkit.Interaction(customers=[1], duration=90, deal=3, occurred_at=T0),
        lambda: crmkit.Purchase(customer=1, occurred_at=T0, amount=crmkit.Money("9.99", "EUR"), quantity=2.5),
        lambda: crmkit.ContactEmail(address="a@b.org", label="x", primary=True),
        lambda: crmkit.ContactPhone(number="+33612345678"),
    ],
)
def test_pickle_round_trip(make):
    import pickle

    original = make()
    clone = pickle.loads(pickle.dumps(original))
    assert type(clone) is type(original)
    assert clone == original


def test_copy_of_parts():
    c = crmkit.Consent(status="granted", at=T0, basis="contract")
    c2 = copy.copy(c)
    c2.basis = "consent"
    assert c.basis is crmkit.LawfulBasis.contract
    s = crmkit.StageChange(from_="a", to="b", at=T0)
    assert copy.deepcopy(s) == s


# --- validation ---------------------------------------------------------------------------------


def validation_error(*args):
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.validate(*args)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(info.value.field + ": ")
    return info.value


def test_valid_values_pass():
    crmkit.validate(ada())
    crmkit.validate(sales_pipeline())
    crmkit.validate(open_deal(), sales_pipeline())
    crmkit.validate(crmkit.Interaction(channel="phone", occurred_at=T0, customers=[3], duration=60))


def test_customer_validation_names_the_field():
    no_primary = [crmkit.ContactEmail(address="a@example.org"), crmkit.ContactEmail(address="b@example.org")]
    assert validation_error(ada(emails=no_primary)).field == "customer.emails"
    e = validation_error(ada(emails=[crmkit.ContactEmail(address="a@example.org", label="bad\tlabel", primary=True)]))
    assert e.field == "customer.emails[0].label"
    e = validation_error(ada(addresses=[crmkit.PostalAddress(lines=["x"], country="fr", primary=True)]))
    assert (e.field, e.value) == ("customer.addresses[0].country", "fr")
    assert validation_error(ada(given_name="", family_name="")).field == "customer.given_name"
    assert validation_error(ada(legal_name="ACME")).field == "customer.legal_name"
    e = validation_error(ada(consent=crmkit.Consent(status="granted", basis="consent")))
    assert e.field == "customer.consent.at"
    assert validation_error(ada(consent=crmkit.Consent(status="granted", at=T0))).field == "customer.consent.basis"
    assert validation_error(ada(tags={"a,b"})).field == "customer.tags"
    e = validation_error(ada(memberships=[crmkit.Membership(organization=9), crmkit.Membership(organization=9)]))
    assert e.field == "customer.memberships[1].organization"
    e = validation_error(ada(attributes={"Bad": 1}))
    assert e.field.startswith("customer.attributes")


def test_other_validation_names_the_field():
    assert validation_error(crmkit.Interaction(occurred_at=T0)).field == "interaction.customers"
    assert validation_error(crmkit.Interaction(occurred_at=T0, customers=[1, 1])).field == "interaction.customers[1]"
    assert validation_error(crmkit.Interaction(customers=[1])).field == "interaction.occurred_at"
    assert validation_error(crmkit.Interaction(occurred_at=T0, customers=[1], duration=-5)).field == "interaction.duration"
    bad_stage = sales_pipeline()
    stages = bad_stage.stages
    stages[2].probability = 0.9
    bad_stage.stages = stages
    assert validation_error(bad_stage).field == "pipeline.stages[2].probability"
    assert validation_error(crmkit.Pipeline(name="P")).field == "pipeline.stages"
    p = sales_pipeline()
    assert validation_error(open_deal(stage="nowhere"), p).field == "deal.stage"
    assert validation_error(open_deal(amount=crmkit.Money("-1", "EUR")), p).field == "deal.amount"
    assert validation_error(open_deal(probability=1.5), p).field == "deal.probability"
    assert validation_error(open_deal(history=[]), p).field == "deal.history"
    e = validation_error(open_deal(stage="lost", history=open_deal().history + [
        crmkit.StageChange(from_="proposal", to="lost", at=T0 + datetime.timedelta(days=4))]), p)
    assert e.field == "deal.lost_reason"
    purchase = crmkit.Purchase(customer=3, occurred_at=T0, amount=crmkit.Money(0, "XXX"))
    assert validation_error(purchase).field == "purchase.amount"
    assert validation_error(crmkit.Purchase(occurred_at=T0, amount=crmkit.Money(1, "EUR"))).field == "purchase.customer"
    with pytest.raises(TypeError):
        crmkit.validate(open_deal())  # a deal needs its pipeline


def test_validate_text():
    crmkit.validate_text("fine", "note", 10)
    crmkit.validate_text("two\nlines", "body", 100, single_line=False)
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.validate_text("two\nlines", "subject", 100)
    assert info.value.field == "subject"
    with pytest.raises(crmkit.ValidationError) as info:
        crmkit.validate_text("é" * 6, "name", 11)  # 12 bytes of UTF-8
    assert info.value.field == "name"


def test_customers_from_the_csv_test_data():
    # The rows of tests/data/io/customers_basic.csv, built through the domain types.
    with open(DATA / "io" / "customers_basic.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        kind = row["kind"] or "person"
        c = crmkit.Customer(
            kind=kind,
            given_name=row["given_name"],
            family_name=row["family_name"],
            legal_name=row["legal_name"],
            external_ref=row["external_ref"],
            emails=[crmkit.ContactEmail(address=row["email"], primary=True)] if row["email"] else [],
            phones=[crmkit.ContactPhone(number=crmkit.Phone(row["phone"], "FR"), primary=True)] if row["phone"] else [],
            tags={t.strip() for t in row["tags"].split(",") if t.strip()},
            lifecycle=row["lifecycle"],
            source=row["source"],
        )
        crmkit.validate(c)
        assert c.kind.value == kind
        if row["email"]:
            assert c.primary_email().address.domain == row["email"].strip().split("@")[1].lower()
    # The bad file: one invalid email, one unknown lifecycle, one nameless person.
    with open(DATA / "io" / "customers_bad.csv", newline="", encoding="utf-8") as f:
        bad = list(csv.DictReader(f))
    failures = []
    for row in bad:
        try:
            c = crmkit.Customer(
                given_name=row["given_name"],
                family_name=row["family_name"],
                emails=[crmkit.ContactEmail(address=row["email"], primary=True)] if row["email"] else [],
                lifecycle=row["lifecycle"],
            )
            crmkit.validate(c)
        except crmkit.ValidationError as e:
            failures.append((row["external_ref"], e.field))
        except ValueError as e:
            failures.append((row["external_ref"], "lifecycle" if "LifecycleStage" in str(e) else str(e)))
    assert ("C-4002", "email") in failures
    assert ("C-4003", "lifecycle") in failures
    assert ("C-4004", "customer.given_name") in failures
    assert all(ref != "C-4001" for ref, _ in failures)


def test_every_public_domain_object_is_documented():
    from crmkit import _crmkit

    for name in dir(_crmkit.domain):
        if name.startswith("_"):
            continue
        obj = getattr(_crmkit.domain, name)
        assert (obj.__doc__ or "").strip(), name
        if isinstance(obj, type) and not issubclass(obj, enum.Enum):
            for member, value in vars(obj).items():
                if member.startswith("_"):
                    continue
                assert (getattr(value, "__doc__", None) or "").strip(), f"{name}.{member}"
