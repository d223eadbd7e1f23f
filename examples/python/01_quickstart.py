"""01_quickstart: a first tour of crmkit from Python.

A small sales story over an in-memory store: an organization and the person we talk to there,
a few interactions, a sales pipeline with a deal that moves to "won", purchases, and then the
customer's timeline, the weighted value of the open deals and the time the deal spent in each
stage. Every domain event is printed as it happens.

The Crm is given a clock we move by hand, so the output is the same on every run (the build
checks it against examples/01_quickstart.expected, the output of the C++ version of this program).
"""

import datetime

import crmkit


def format_duration(duration: datetime.timedelta) -> str:
    """'2d 05:30' style, enough for durations measured in days and hours."""
    minutes = duration // datetime.timedelta(minutes=1)
    return f"{minutes // 1440}d {minutes // 60 % 24:02d}:{minutes % 60:02d}"


def print_event(event) -> None:
    """One line per event; a real application would update a search index, send a webhook, ..."""
    line = "  [event] " + crmkit.event_name(event)
    if isinstance(event, crmkit.CustomerCreated):
        line += ": " + event.customer.display_name()
    elif isinstance(event, crmkit.InteractionLogged):
        line += ": " + event.interaction.subject
    elif isinstance(event, crmkit.DealOpened):
        line += f": {event.deal.title} in {event.deal.stage}"
    elif isinstance(event, crmkit.DealStageChanged):
        line += f": {event.deal.title}, {event.change.from_ or '-'} -> {event.change.to}"
    elif isinstance(event, crmkit.DealWon):
        line += f": {event.deal.title} for {event.deal.amount.format()}"
    print(line)


def main() -> None:
    # --- Set up: a store, a clock, the facade ---------------------------------------------------
    # "memory:" keeps everything in process memory; "sqlite:crm.db" would persist it instead.
    store = crmkit.open("memory:")

    # Our story starts on Monday 4 March 2024 at 09:00 UTC; `now` is moved as the story goes on.
    now = crmkit.parse_timestamp("2024-03-04T09:00:00Z")

    def clock() -> datetime.datetime:
        return now

    # Phone numbers typed without +33 are French.
    crm = crmkit.Crm(store, clock=clock, default_region="FR")

    # Keep the subscription alive for as long as events should be printed.
    print("Events as they happen:")
    subscription = crm.subscribe(print_event)

    # --- Customers: an organization and a person who works there --------------------------------
    acme = crm.create_customer(
        crmkit.Customer(
            kind=crmkit.CustomerKind.organization,
            legal_name="ACME SA",
            external_ref="ERP-1001",  # the ERP's customer number
            lifecycle=crmkit.LifecycleStage.prospect,
        )
    )

    # Contact points are validated and normalized; the first one becomes primary by default.
    claire = crm.create_customer(
        crmkit.Customer(
            kind=crmkit.CustomerKind.person,
            given_name="Claire",
            family_name="Dubois",
            memberships=[crmkit.Membership(organization=acme.id, role="Head of purchasing")],
            emails=[crmkit.ContactEmail(address=crmkit.Email("Claire.Dubois@ACME.example"), label="work")],
            phones=[crmkit.ContactPhone(number=crmkit.Phone("06 12 34 56 78", "FR"), label="mobile")],
        )
    )

    # --- Interactions over several channels -----------------------------------------------------
    crm.log_interaction(
        crmkit.Interaction(
            channel=crmkit.Channel.email,
            direction=crmkit.Direction.inbound,
            occurred_at=crmkit.parse_timestamp("2024-03-04T09:30:00Z"),
            subject="Request for a quote",
            outcome="answered",
            author="sam",
            customers=[claire.id, acme.id],
        )
    )
    crm.log_interaction(
        crmkit.Interaction(
            channel=crmkit.Channel.phone,
            direction=crmkit.Direction.outbound,
            occurred_at=crmkit.parse_timestamp("2024-03-05T14:00:00Z"),
            duration=datetime.timedelta(minutes=30),
            subject="Discovery call",
            outcome="completed",
            author="sam",
            customers=[claire.id],
        )
    )

    # --- A pipeline, and a deal that moves through it to "won" ----------------------------------
    open_, won, lost = crmkit.StageCategory.open, crmkit.StageCategory.won, crmkit.StageCategory.lost
    pipeline = crm.create_pipeline(
        crmkit.Pipeline(
            name="New business",
            stages=[
                crmkit.Stage(key="lead", name="Lead", category=open_, probability=0.10, rotting_days=14),
                crmkit.Stage(key="qualified", name="Qualified", category=open_, probability=0.30),
                crmkit.Stage(key="proposal", name="Proposal sent", category=open_, probability=0.60),
                crmkit.Stage(key="won", name="Won", category=won, probability=1.0),
                crmkit.Stage(key="lost", name="Lost", category=lost, probability=0.0),
            ],
        )
    )

    now = crmkit.parse_timestamp("2024-03-04T10:00:00Z")
    fleet = crm.open_deal(
        crmkit.Deal(
            pipeline=pipeline.id,
            customer=acme.id,
            contacts=[crmkit.DealContact(person=claire.id, role="decision maker")],
            title="ACME fleet renewal",
            amount=crmkit.Money.parse("48000.00", "EUR"),
        ),
        by="sam",
    )  # no stage given: starts in the first open stage, "lead"

    by_sam = crmkit.MoveOptions(by="sam")  # who moves the deal is recorded in its stage history
    now = crmkit.parse_timestamp("2024-03-05T15:00:00Z")
    crm.move_deal(fleet.id, "qualified", by_sam)

    crm.log_interaction(
        crmkit.Interaction(
            channel=crmkit.Channel.meeting,
            direction=crmkit.Direction.outbound,
            occurred_at=crmkit.parse_timestamp("2024-03-07T10:00:00Z"),
            duration=datetime.timedelta(minutes=90),
            subject="On-site demo",
            outcome="completed",
            author="sam",
            customers=[claire.id, acme.id],
            deal=fleet.id,
        )
    )

    now = crmkit.parse_timestamp("2024-03-08T11:00:00Z")
    crm.move_deal(fleet.id, "proposal", by_sam)
    now = crmkit.parse_timestamp("2024-03-16T16:30:00Z")
    fleet = crm.move_deal(fleet.id, "won", by_sam)  # sets probability 1 and won_at

    # Two more deals stay open, so the pipeline has something to weigh.
    now = crmkit.parse_timestamp("2024-03-20T09:00:00Z")
    crm.open_deal(
        crmkit.Deal(
            pipeline=pipeline.id,
            customer=acme.id,
            title="ACME support contract",
            stage="proposal",
            amount=crmkit.Money.parse("12000.00", "EUR"),
            expected_close=crmkit.parse_date("2024-04-30"),
        ),
        by="alex",
    )

    now = crmkit.parse_timestamp("2024-03-21T14:00:00Z")
    crm.open_deal(
        crmkit.Deal(
            pipeline=pipeline.id,
            customer=acme.id,
            title="ACME Inc. pilot",
            amount=crmkit.Money.parse("8000.00", "USD"),
            probability=0.25,  # the sales rep's own estimate overrides the stage's 10%
        ),
        by="alex",
    )

    # --- Purchases, as the ERP would feed them --------------------------------------------------
    crm.record_purchase(
        crmkit.Purchase(
            customer=acme.id,
            occurred_at=crmkit.parse_timestamp("2024-03-18T08:00:00Z"),
            amount=crmkit.Money.parse("48000.00", "EUR"),
            order_ref="A-1001",
        )
    )
    crm.record_purchase(
        crmkit.Purchase(
            customer=acme.id,
            occurred_at=crmkit.parse_timestamp("2024-04-12T13:45:00Z"),
            amount=crmkit.Money.parse("1250.50", "EUR"),
            order_ref="A-1042",
        )
    )

    # --- Reading it back ------------------------------------------------------------------------
    # Lookups normalize what is typed: another case for the email, a national phone number.
    print("\nLookups:")
    print("  claire.dubois@acme.example -> "
          + crm.find_by_email("claire.dubois@acme.example")[0].display_name())
    print("  06 12 34 56 78             -> " + crm.find_by_phone("06 12 34 56 78")[0].display_name())

    # The timeline merges interactions, deal events and purchases, newest first, page by page.
    # (The discovery call involved only Claire: it is on her timeline, not on ACME's.)
    print(f"\nTimeline of {acme.display_name()}, newest first:")
    request = crmkit.TimelineRequest(limit=4)
    while True:
        page = crm.timeline(acme.id, request)
        for entry in page.entries:
            print(f"  {crmkit.format_timestamp(entry.at)}  {entry.summary()}")
        if page.next is None:
            break
        request.before = page.next  # the cursor of the last entry shown

    # Weighted value: each open deal's amount times its probability, summed per currency.
    print(f'\nWeighted value of the open deals in "{pipeline.name}":')
    for value in crm.weighted_value(pipeline.id):
        print(f"  {value.currency.code}: {value.open_deals} open, total {value.total.format()}, "
              f"weighted {value.weighted.format()}")

    print(f'\nTime "{fleet.title}" spent in each stage:')
    for stage in crm.time_in_stage(fleet.id):
        print(f"  {stage.stage}: {format_duration(stage.time)}")

    subscription.disconnect()


if __name__ == "__main__":
    main()
