//! A package's life: intake, checks, fee, registration; plans; callbacks.

use crate::helpers::{PackageBuilder, Pki, Receiver, notice, problem, spawn};
use mezha_registry::protocol::{FeeReceipt, PackageStatus as S, PlannedOutcome};

#[tokio::test]
async fn a_package_is_registered_and_every_change_is_called_back_signed() {
    let registry = spawn().await;
    let receiver = Receiver::start(0).await;
    let pki = Pki::new(10);
    let zip = PackageBuilder::new("deal-1")
        .callback(&receiver.url)
        .signed_statement(&pki)
        .zip();

    let receipt = registry.submit_ok("deal-1-send-1", zip).await;
    assert_eq!(receipt.reference, "deal-1");
    assert_eq!(receipt.status, S::Received);
    assert_eq!(registry.status(&receipt.package_id).await, S::Received);

    // Nothing is due before its time; advance runs it now.
    assert_eq!(registry.advance().await, 1);
    assert_eq!(registry.status(&receipt.package_id).await, S::Accepted);
    // Accepted waits for the fee: nothing is scheduled.
    assert_eq!(registry.advance().await, 0);

    let response = registry.fee(&receipt.package_id, &notice()).await;
    assert_eq!(response.status(), 200);
    let fee: FeeReceipt = response.json().await.unwrap();
    assert_eq!(fee.uin, "32100000000000000425");
    assert_eq!(fee.amount_kopecks, 200_000);
    // The same notice again: the same receipt.
    let again = registry.fee(&receipt.package_id, &notice()).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<FeeReceipt>().await.unwrap(), fee);

    assert_eq!(registry.advance().await, 1);
    assert_eq!(
        registry.status(&receipt.package_id).await,
        S::InRegistration
    );
    assert_eq!(registry.advance().await, 1);
    let view = registry.package(&receipt.package_id).await;
    assert_eq!(view.status, S::Registered);
    let statuses: Vec<_> = view.events.iter().map(|e| (e.seq, e.status)).collect();
    assert_eq!(
        statuses,
        [
            (1, S::Received),
            (2, S::Accepted),
            (3, S::InRegistration),
            (4, S::Registered)
        ]
    );
    assert_eq!(registry.advance().await, 0, "registered is final");
    // The fee notice repeated after the end is still the same receipt.
    assert_eq!(
        registry.fee(&receipt.package_id, &notice()).await.status(),
        200
    );

    let callbacks = receiver.wait_for(4).await;
    let seen: Vec<_> = callbacks.iter().map(|c| (c.seq, c.status)).collect();
    assert_eq!(seen, statuses);
    for (callback, event) in callbacks.iter().zip(&view.events) {
        assert_eq!(callback.package_id, receipt.package_id);
        assert_eq!(callback.reference, "deal-1");
        assert_eq!(callback.at, event.at);
        assert_eq!(callback.message, event.message);
    }
    registry.running.stop().await;
}

#[tokio::test]
async fn callbacks_are_retried_until_the_receiver_takes_them() {
    let registry = spawn().await;
    let receiver = Receiver::start(2).await;
    let zip = PackageBuilder::new("deal-retry")
        .callback(&receiver.url)
        .signed_statement(&Pki::new(20))
        .zip();
    registry.submit_ok("k", zip).await;
    registry.advance().await;
    let callbacks = receiver.wait_for(2).await;
    assert_eq!(
        callbacks.iter().map(|c| c.status).collect::<Vec<_>>(),
        [S::Received, S::Accepted],
        "in order, after two refused attempts"
    );
    assert_eq!(receiver.attempts(), 4);
}

#[tokio::test]
async fn a_refused_plan_refuses_with_its_reason() {
    let registry = spawn().await;
    let receiver = Receiver::start(0).await;
    // Planned before the package arrives.
    registry
        .plan(
            "deal-2",
            PlannedOutcome::Refused,
            Some("the seller's right is disputed"),
        )
        .await;
    let zip = PackageBuilder::new("deal-2")
        .callback(&receiver.url)
        .signed_statement(&Pki::new(30))
        .zip();
    let id = registry.submit_ok("deal-2", zip).await.package_id;
    registry.advance().await;
    assert_eq!(registry.fee(&id, &notice()).await.status(), 200);
    registry.advance().await;
    registry.advance().await;
    let view = registry.package(&id).await;
    assert_eq!(view.status, S::Refused);
    let last = view.events.last().unwrap();
    assert_eq!(
        last.message.as_deref(),
        Some("the seller's right is disputed")
    );
    let callbacks = receiver.wait_for(4).await;
    assert_eq!(callbacks[3].status, S::Refused);
    assert_eq!(
        callbacks[3].message.as_deref(),
        Some("the seller's right is disputed")
    );
}

#[tokio::test]
async fn a_suspended_plan_suspends_then_registers() {
    let registry = spawn().await;
    let zip = PackageBuilder::new("deal-3")
        .signed_statement(&Pki::new(40))
        .zip();
    let id = registry.submit_ok("deal-3", zip).await.package_id;
    registry.advance().await;
    registry.fee(&id, &notice()).await;
    registry.advance().await;
    // Planned after the package arrived, before the decision.
    registry
        .plan(
            "deal-3",
            PlannedOutcome::SuspendedThenRegistered,
            Some("a document is missing"),
        )
        .await;
    registry.advance().await;
    let view = registry.package(&id).await;
    assert_eq!(view.status, S::Suspended);
    assert_eq!(
        view.events.last().unwrap().message.as_deref(),
        Some("a document is missing")
    );
    registry.advance().await;
    assert_eq!(registry.status(&id).await, S::InRegistration);
    registry.advance().await;
    let view = registry.package(&id).await;
    let statuses: Vec<_> = view.events.iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        [
            S::Received,
            S::Accepted,
            S::InRegistration,
            S::Suspended,
            S::InRegistration,
            S::Registered
        ]
    );
}

#[tokio::test]
async fn the_fee_notice_is_checked() {
    let registry = spawn().await;
    let id = registry
        .submit_ok(
            "k",
            PackageBuilder::new("deal-4")
                .signed_statement(&Pki::new(50))
                .zip(),
        )
        .await
        .package_id;

    // Before the checks: not awaiting its fee.
    let (status, code, _) = problem(registry.fee(&id, &notice()).await).await;
    assert_eq!((status, code.as_str()), (409, "conflict"));
    registry.advance().await;

    for (uin, refusal) in [
        ("32100000000000000424", "uin_control_digit"),
        ("3210000000000000042", "uin_format"),
        ("00000000000000000000", "uin_format"),
    ] {
        let mut bad = notice();
        bad.uin = uin.to_owned();
        let (status, code, detail) = problem(registry.fee(&id, &bad).await).await;
        assert_eq!(
            (status, code.as_str()),
            (422, "invalid_fee_notice"),
            "{uin}"
        );
        assert!(detail.contains(refusal), "{detail}");
    }
    let mut zero = notice();
    zero.amount_kopecks = 0;
    assert_eq!(problem(registry.fee(&id, &zero).await).await.0, 422);
    let garbage = registry
        .client
        .post(registry.url(&format!("/v1/packages/{id}/fee")))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(problem(garbage).await.0, 400);
    assert_eq!(
        problem(registry.fee("no-such-package", &notice()).await)
            .await
            .1,
        "not_found"
    );
    // A 25-digit УИН is as good.
    let mut long = notice();
    long.uin = "0100000000000000000000016".to_owned();
    assert_eq!(registry.fee(&id, &long).await.status(), 200);
    // A different notice after one was taken.
    let (status, _, detail) = problem(registry.fee(&id, &notice()).await).await;
    assert_eq!(status, 409);
    assert!(detail.contains("different"), "{detail}");
}

#[tokio::test]
async fn a_lost_package_id_is_found_by_reference() {
    let registry = spawn().await;
    let pki = Pki::new(60);
    let first = registry
        .submit_ok(
            "a",
            PackageBuilder::new("deal-5").signed_statement(&pki).zip(),
        )
        .await;
    let second = registry
        .submit_ok(
            "b",
            PackageBuilder::new("deal-5").signed_statement(&pki).zip(),
        )
        .await;
    registry
        .submit_ok(
            "c",
            PackageBuilder::new("deal-6").signed_statement(&pki).zip(),
        )
        .await;
    let found = registry.by_reference("deal-5").await;
    let ids: Vec<_> = found.iter().map(|p| p.package_id.clone()).collect();
    assert_eq!(ids, [first.package_id, second.package_id]);
    assert!(registry.by_reference("deal-7").await.is_empty());
    let missing = registry
        .client
        .get(registry.url("/v1/packages"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(missing).await.0, 400);
    let unknown = registry
        .client
        .get(registry.url("/v1/packages/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem(unknown).await,
        (404, "not_found".into(), "no such package".into())
    );
}
