//! Seeding the search benchmark's database: a few customers, one engineer
//! who can log in, and many orders written with multi-row INSERTs.
//!
//! The orders are varied the way real ones are: ~90% wait for an executor
//! (`executor_selection`), published over the last 90 days; the rest are in
//! the other statuses. Regions lean towards the populous ones, one to three
//! work types each, a price on ~70%, prepayment on ~40%, a deadline as a
//! date or as days, an address on one of a few dozen common street names.

use chrono::{DateTime, Duration as Span, Utc};
use mezha_api_types::orders::{OrderStatus, WorkType};
use mezha_app::passwords::PasswordHasher;
use mezha_domain::Role;
use mezha_store::entities::orders;
use mezha_store::users::{self, NewUser};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};
use std::time::Instant;
use uuid::Uuid;

/// The engineer the benchmark logs in as.
pub const ENGINEER_EMAIL: &str = "engineer@bench.mezha.test";
/// His password.
pub const ENGINEER_PASSWORD: &str = "bench-engineer-password";

/// Streets of the generated addresses; the address filter looks for one.
pub const STREETS: &[&str] = &[
    "Садовая",
    "Лесная",
    "Центральная",
    "Молодёжная",
    "Школьная",
    "Новая",
    "Полевая",
    "Советская",
    "Набережная",
    "Заречная",
    "Луговая",
    "Мира",
    "Ленина",
    "Гагарина",
    "Пушкина",
    "Строителей",
    "Берёзовая",
    "Рабочая",
    "Солнечная",
    "Зелёная",
    "Октябрьская",
    "Комсомольская",
    "Кирова",
    "Восточная",
    "Южная",
    "Северная",
    "Сосновая",
    "Дачная",
    "Первомайская",
    "Озёрная",
];

const PLACES: &[&str] = &[
    "г. Москва",
    "г. Санкт-Петербург",
    "г. Казань",
    "г. Тверь",
    "г. Екатеринбург",
    "г. Новосибирск",
    "г. Краснодар",
    "пос. Лесной",
    "с. Покровское",
    "с. Никольское",
    "д. Ивановка",
    "д. Горки",
];

const TITLES: &[&str] = &[
    "Межевание земельного участка",
    "Уточнение границ и площади участка",
    "Технический план жилого дома",
    "Раздел земельного участка",
    "Схема расположения участка на КПТ",
    "Акт обследования для снятия с учёта",
    "Технический план квартиры",
    "Карта-план территории",
    "Образование части земельного участка",
    "Технический план гаража",
];

/// Regions that get a third of the orders between them (the rest are spread
/// evenly over all 89).
pub const POPULOUS_REGIONS: &[&str] = &["77", "50", "78", "47", "23", "16", "66", "54"];

/// What was seeded.
pub struct Seeded {
    pub orders: u64,
    pub published: u64,
    pub seconds: f64,
}

/// Creates the accounts and `count` orders, then `VACUUM ANALYZE`.
pub async fn seed(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
    count: u32,
) -> anyhow::Result<Seeded> {
    let started = Instant::now();
    let now = Utc::now();
    let hash = hasher.hash(ENGINEER_PASSWORD.into()).await?;
    let engineer = users::create(
        db,
        NewUser {
            email: ENGINEER_EMAIL.into(),
            password_hash: Some(hash),
            full_name: Some("Инженер Бенчмарков".into()),
            email_confirmed: true,
            roles: vec![Role::Customer],
        },
        now,
    )
    .await?;
    users::grant_role(db, engineer.id, Role::Engineer, now).await?;

    // Customer type follows the customer, as it does in the product.
    let mut customers = Vec::new();
    for i in 0..20 {
        let kind = match i % 4 {
            0 | 1 => "person",
            2 => "legal",
            _ => "sole_proprietor",
        };
        let user = users::create(
            db,
            NewUser {
                email: format!("customer{i}@bench.mezha.test"),
                password_hash: None,
                full_name: Some(format!("Заказчик {i}")),
                email_confirmed: true,
                roles: vec![Role::Customer],
            },
            now,
        )
        .await?;
        customers.push((user.id, kind));
    }

    let regions = mezha_store::orders::region_codes(db).await?;
    anyhow::ensure!(!regions.is_empty(), "the regions table is empty");
    let populous: Vec<String> = POPULOUS_REGIONS
        .iter()
        .map(|r| (*r).to_owned())
        .filter(|r| regions.contains(r))
        .collect();

    let mut rng = StdRng::seed_from_u64(20_261_123);
    let generator = Generator {
        now,
        engineer: engineer.id,
        customers,
        regions,
        populous,
    };
    let mut published = 0u64;
    let batch = 1_000u32;
    let mut done = 0u32;
    while done < count {
        let txn = db.begin().await?;
        // Ten batches per transaction.
        for _ in 0..10 {
            if done >= count {
                break;
            }
            let n = batch.min(count - done);
            let rows: Vec<orders::ActiveModel> = (done..done + n)
                .map(|i| generator.order(&mut rng, i))
                .collect();
            published += rows
                .iter()
                .filter(
                    |r| matches!(&r.status, Set(s) if s == OrderStatus::ExecutorSelection.as_str()),
                )
                .count() as u64;
            orders::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await?;
            done += n;
        }
        txn.commit().await?;
    }
    db.execute_unprepared("VACUUM ANALYZE").await?;
    Ok(Seeded {
        orders: u64::from(count),
        published,
        seconds: started.elapsed().as_secs_f64(),
    })
}

struct Generator {
    now: DateTime<Utc>,
    engineer: Uuid,
    customers: Vec<(Uuid, &'static str)>,
    regions: Vec<String>,
    populous: Vec<String>,
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

impl Generator {
    fn status(rng: &mut StdRng) -> OrderStatus {
        let roll = rng.gen_range(0..1000);
        match roll {
            0..900 => OrderStatus::ExecutorSelection,
            900..920 => OrderStatus::Draft,
            920..935 => OrderStatus::ContractSigning,
            935..945 => OrderStatus::Prepayment,
            945..965 => OrderStatus::InProgress,
            965..970 => OrderStatus::Acceptance,
            970..975 => OrderStatus::Registration,
            975..980 => OrderStatus::Payment,
            980..992 => OrderStatus::Completed,
            992..998 => OrderStatus::Cancelled,
            _ => OrderStatus::Suspended,
        }
    }

    fn work_types(rng: &mut StdRng) -> i32 {
        let n = match rng.gen_range(0..10) {
            0..6 => 1,
            6..9 => 2,
            _ => 3,
        };
        let mut bits: Vec<usize> = (0..WorkType::ALL.len()).collect();
        bits.shuffle(rng);
        bits.iter().take(n).fold(0, |mask, bit| mask | (1 << bit))
    }

    fn order(&self, rng: &mut StdRng, i: u32) -> orders::ActiveModel {
        let status = Self::status(rng);
        let (customer_id, customer_type) = *pick(rng, &self.customers);
        let region = if !self.populous.is_empty() && rng.gen_bool(0.35) {
            pick(rng, &self.populous).clone()
        } else {
            pick(rng, &self.regions).clone()
        };
        let street = pick(rng, STREETS);
        let address = format!(
            "{}, ул. {street}, д. {}",
            pick(rng, PLACES),
            rng.gen_range(1..=120)
        );
        let cadastral: Vec<String> = (0..rng.gen_range(1..=2))
            .map(|_| {
                format!(
                    "{region}:{:02}:{:07}:{}",
                    rng.gen_range(1..=60),
                    rng.gen_range(1..=9_999_999),
                    rng.gen_range(1..=9_999)
                )
            })
            .collect();
        let age = Span::seconds(rng.gen_range(60..90 * 24 * 3600));
        let draft = status == OrderStatus::Draft;
        let published_at = (!draft).then(|| self.now - age);
        let created_at = self.now - age - Span::seconds(rng.gen_range(60..3 * 24 * 3600));
        let updated_at = match published_at {
            Some(at) => at + Span::seconds(rng.gen_range(0..=age.num_seconds())),
            None => created_at,
        };
        let (deadline_date, deadline_days) = if rng.gen_bool(0.5) {
            let from = published_at.unwrap_or(created_at).date_naive();
            (
                from.checked_add_days(chrono::Days::new(rng.gen_range(14..=120))),
                None,
            )
        } else {
            (None, Some(rng.gen_range(5..=90i32)))
        };
        let due_date = published_at.and_then(|at| match (deadline_date, deadline_days) {
            (Some(date), _) => Some(date),
            (None, Some(days)) => at
                .date_naive()
                .checked_add_days(chrono::Days::new(u64::from(days.unsigned_abs()))),
            (None, None) => None,
        });
        let prepayment_required = rng.gen_bool(0.4);
        let executor_id = match status {
            OrderStatus::Draft | OrderStatus::ExecutorSelection | OrderStatus::Cancelled => None,
            _ => Some(self.engineer),
        };
        orders::ActiveModel {
            id: Set(Uuid::now_v7()),
            number: Set(1_001 + i64::from(i)),
            customer_id: Set(customer_id),
            customer_type: Set(customer_type.to_owned()),
            status: Set(status.as_str().to_owned()),
            suspended_from: Set((status == OrderStatus::Suspended)
                .then(|| OrderStatus::InProgress.as_str().to_owned())),
            title: Set(pick(rng, TITLES).to_string()),
            description: Set(rng
                .gen_bool(0.6)
                .then(|| format!("Участок по адресу: {address}. Документы на руках."))),
            work_types: Set(Self::work_types(rng)),
            cadastral_numbers: Set(serde_json::to_string(&cadastral).unwrap_or_default()),
            region_code: Set(Some(region)),
            address_search: Set(Some(address.to_lowercase())),
            address: Set(Some(address)),
            deadline_date: Set(deadline_date),
            deadline_days: Set(deadline_days),
            due_date: Set(due_date),
            price: Set(rng.gen_bool(0.7).then(|| rng.gen_range(10..=300) * 500)),
            prepayment_required: Set(prepayment_required),
            prepayment_percent: Set(prepayment_required.then(|| *pick(rng, &[10i16, 20, 30, 50]))),
            registration: Set(pick(rng, &["none", "gku", "grp", "both"]).to_string()),
            executor_id: Set(executor_id),
            responses_count: Set(if draft { 0 } else { rng.gen_range(0..=5) }),
            version: Set(rng.gen_range(1..=4)),
            created_at: Set(created_at),
            updated_at: Set(updated_at),
            published_at: Set(published_at),
            reviewed_at: Set(None),
            act_signed_at: Set(None),
            paid_at: Set(None),
        }
    }
}
