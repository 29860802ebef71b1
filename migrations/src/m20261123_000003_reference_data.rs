//! Reference data: the subjects of the Russian Federation (`regions`, keyed by
//! the two-digit code of the Federal Tax Service) and the kinds of cadastral
//! works an order can be placed for (`work_types`, in display order).
//!
//! The data lives in this file as `const` arrays and is inserted once; later
//! changes to it are new migrations, never edits of this one.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
    NameRu,
    NameEn,
}

#[derive(DeriveIden)]
enum WorkTypes {
    Table,
    Code,
    Position,
    NameRu,
    NameEn,
}

/// The 89 current subjects of the Russian Federation: code (Federal Tax
/// Service numbering), official Russian name, common English name. The codes
/// 80, 81, 82, 84, 85 and 88 belonged to autonomous okrugs merged into other
/// subjects in 2005–2008 and are not used.
const REGIONS: [(&str, &str, &str); 89] = [
    ("01", "Республика Адыгея (Адыгея)", "Republic of Adygea"),
    ("02", "Республика Башкортостан", "Republic of Bashkortostan"),
    ("03", "Республика Бурятия", "Republic of Buryatia"),
    ("04", "Республика Алтай", "Altai Republic"),
    ("05", "Республика Дагестан", "Republic of Dagestan"),
    ("06", "Республика Ингушетия", "Republic of Ingushetia"),
    (
        "07",
        "Кабардино-Балкарская Республика",
        "Kabardino-Balkar Republic",
    ),
    ("08", "Республика Калмыкия", "Republic of Kalmykia"),
    (
        "09",
        "Карачаево-Черкесская Республика",
        "Karachay-Cherkess Republic",
    ),
    ("10", "Республика Карелия", "Republic of Karelia"),
    ("11", "Республика Коми", "Komi Republic"),
    ("12", "Республика Марий Эл", "Mari El Republic"),
    ("13", "Республика Мордовия", "Republic of Mordovia"),
    ("14", "Республика Саха (Якутия)", "Sakha (Yakutia) Republic"),
    (
        "15",
        "Республика Северная Осетия — Алания",
        "Republic of North Ossetia–Alania",
    ),
    (
        "16",
        "Республика Татарстан (Татарстан)",
        "Republic of Tatarstan",
    ),
    ("17", "Республика Тыва", "Tuva Republic"),
    ("18", "Удмуртская Республика", "Udmurt Republic"),
    ("19", "Республика Хакасия", "Republic of Khakassia"),
    ("20", "Чеченская Республика", "Chechen Republic"),
    ("21", "Чувашская Республика — Чувашия", "Chuvash Republic"),
    ("22", "Алтайский край", "Altai Krai"),
    ("23", "Краснодарский край", "Krasnodar Krai"),
    ("24", "Красноярский край", "Krasnoyarsk Krai"),
    ("25", "Приморский край", "Primorsky Krai"),
    ("26", "Ставропольский край", "Stavropol Krai"),
    ("27", "Хабаровский край", "Khabarovsk Krai"),
    ("28", "Амурская область", "Amur Oblast"),
    ("29", "Архангельская область", "Arkhangelsk Oblast"),
    ("30", "Астраханская область", "Astrakhan Oblast"),
    ("31", "Белгородская область", "Belgorod Oblast"),
    ("32", "Брянская область", "Bryansk Oblast"),
    ("33", "Владимирская область", "Vladimir Oblast"),
    ("34", "Волгоградская область", "Volgograd Oblast"),
    ("35", "Вологодская область", "Vologda Oblast"),
    ("36", "Воронежская область", "Voronezh Oblast"),
    ("37", "Ивановская область", "Ivanovo Oblast"),
    ("38", "Иркутская область", "Irkutsk Oblast"),
    ("39", "Калининградская область", "Kaliningrad Oblast"),
    ("40", "Калужская область", "Kaluga Oblast"),
    ("41", "Камчатский край", "Kamchatka Krai"),
    (
        "42",
        "Кемеровская область — Кузбасс",
        "Kemerovo Oblast – Kuzbass",
    ),
    ("43", "Кировская область", "Kirov Oblast"),
    ("44", "Костромская область", "Kostroma Oblast"),
    ("45", "Курганская область", "Kurgan Oblast"),
    ("46", "Курская область", "Kursk Oblast"),
    ("47", "Ленинградская область", "Leningrad Oblast"),
    ("48", "Липецкая область", "Lipetsk Oblast"),
    ("49", "Магаданская область", "Magadan Oblast"),
    ("50", "Московская область", "Moscow Oblast"),
    ("51", "Мурманская область", "Murmansk Oblast"),
    ("52", "Нижегородская область", "Nizhny Novgorod Oblast"),
    ("53", "Новгородская область", "Novgorod Oblast"),
    ("54", "Новосибирская область", "Novosibirsk Oblast"),
    ("55", "Омская область", "Omsk Oblast"),
    ("56", "Оренбургская область", "Orenburg Oblast"),
    ("57", "Орловская область", "Oryol Oblast"),
    ("58", "Пензенская область", "Penza Oblast"),
    ("59", "Пермский край", "Perm Krai"),
    ("60", "Псковская область", "Pskov Oblast"),
    ("61", "Ростовская область", "Rostov Oblast"),
    ("62", "Рязанская область", "Ryazan Oblast"),
    ("63", "Самарская область", "Samara Oblast"),
    ("64", "Саратовская область", "Saratov Oblast"),
    ("65", "Сахалинская область", "Sakhalin Oblast"),
    ("66", "Свердловская область", "Sverdlovsk Oblast"),
    ("67", "Смоленская область", "Smolensk Oblast"),
    ("68", "Тамбовская область", "Tambov Oblast"),
    ("69", "Тверская область", "Tver Oblast"),
    ("70", "Томская область", "Tomsk Oblast"),
    ("71", "Тульская область", "Tula Oblast"),
    ("72", "Тюменская область", "Tyumen Oblast"),
    ("73", "Ульяновская область", "Ulyanovsk Oblast"),
    ("74", "Челябинская область", "Chelyabinsk Oblast"),
    ("75", "Забайкальский край", "Zabaykalsky Krai"),
    ("76", "Ярославская область", "Yaroslavl Oblast"),
    ("77", "г. Москва", "Moscow"),
    ("78", "г. Санкт-Петербург", "Saint Petersburg"),
    (
        "79",
        "Еврейская автономная область",
        "Jewish Autonomous Oblast",
    ),
    ("83", "Ненецкий автономный округ", "Nenets Autonomous Okrug"),
    (
        "86",
        "Ханты-Мансийский автономный округ — Югра",
        "Khanty-Mansi Autonomous Okrug – Yugra",
    ),
    (
        "87",
        "Чукотский автономный округ",
        "Chukotka Autonomous Okrug",
    ),
    (
        "89",
        "Ямало-Ненецкий автономный округ",
        "Yamalo-Nenets Autonomous Okrug",
    ),
    ("90", "Запорожская область", "Zaporozhye Oblast"),
    ("91", "Республика Крым", "Republic of Crimea"),
    ("92", "г. Севастополь", "Sevastopol"),
    (
        "93",
        "Донецкая Народная Республика",
        "Donetsk People's Republic",
    ),
    (
        "94",
        "Луганская Народная Республика",
        "Lugansk People's Republic",
    ),
    ("95", "Херсонская область", "Kherson Oblast"),
];

/// Kinds of cadastral works, in display order: code, position, Russian name,
/// English name.
const WORK_TYPES: [(&str, i32, &str, &str); 10] = [
    (
        "land_plot_redistribution",
        1,
        "Образование земельного участка путём перераспределения",
        "Land plot formation by redistribution",
    ),
    (
        "land_plot_formation",
        2,
        "Образование земельного участка",
        "Land plot formation",
    ),
    (
        "land_plot_boundary_clarification",
        3,
        "Уточнение местоположения границ и (или) площади земельного участка",
        "Clarification of land plot boundaries and area",
    ),
    (
        "object_part_formation",
        4,
        "Образование части объекта недвижимости",
        "Formation of a part of a real-estate object",
    ),
    (
        "object_liquidation",
        5,
        "Ликвидация объекта недвижимости",
        "Liquidation of a real-estate object",
    ),
    (
        "object_data_clarification",
        6,
        "Уточнение сведений об объекте недвижимости",
        "Clarification of real-estate object data",
    ),
    (
        "object_formation",
        7,
        "Образование объекта недвижимости",
        "Real-estate object formation",
    ),
    (
        "map_plan",
        8,
        "Подготовка карты-плана территории",
        "Map-plan preparation",
    ),
    (
        "layout_scheme",
        9,
        "Подготовка схемы расположения земельного участка",
        "Layout scheme preparation",
    ),
    (
        "land_plot_part_formation",
        10,
        "Образование части земельного участка",
        "Formation of a part of a land plot",
    ),
];

/// Turns a sea-query builder error (a column/value count mismatch) into the
/// migration's error type.
fn builder_error(error: sea_query::error::Error) -> DbErr {
    DbErr::Migration(format!("building reference-data insert: {error}"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(
                        ColumnDef::new(Regions::Code)
                            .string_len(2)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Regions::NameRu).string_len(120).not_null())
                    .col(ColumnDef::new(Regions::NameEn).string_len(120).not_null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WorkTypes::Table)
                    .col(
                        ColumnDef::new(WorkTypes::Code)
                            .string_len(40)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(WorkTypes::Position).integer().not_null())
                    .col(ColumnDef::new(WorkTypes::NameRu).string_len(200).not_null())
                    .col(ColumnDef::new(WorkTypes::NameEn).string_len(200).not_null())
                    .to_owned(),
            )
            .await?;

        let mut regions = Query::insert();
        regions.into_table(Regions::Table).columns([
            Regions::Code,
            Regions::NameRu,
            Regions::NameEn,
        ]);
        for (code, name_ru, name_en) in REGIONS {
            regions
                .values([code.into(), name_ru.into(), name_en.into()])
                .map_err(builder_error)?;
        }
        manager.exec_stmt(regions).await?;

        let mut work_types = Query::insert();
        work_types.into_table(WorkTypes::Table).columns([
            WorkTypes::Code,
            WorkTypes::Position,
            WorkTypes::NameRu,
            WorkTypes::NameEn,
        ]);
        for (code, position, name_ru, name_en) in WORK_TYPES {
            work_types
                .values([code.into(), position.into(), name_ru.into(), name_en.into()])
                .map_err(builder_error)?;
        }
        manager.exec_stmt(work_types).await
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use sea_orm_migration::sea_orm::{ConnectionTrait, Database, Statement};

    use super::{REGIONS, WORK_TYPES};
    use crate::{Migrator, MigratorTrait};

    #[test]
    fn regions_are_the_89_current_subjects() {
        assert_eq!(REGIONS.len(), 89);
        let codes: HashSet<&str> = REGIONS.iter().map(|(code, _, _)| *code).collect();
        assert_eq!(codes.len(), REGIONS.len(), "region codes must be unique");
        for (code, name_ru, name_en) in REGIONS {
            assert!(
                code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()),
                "bad region code {code:?}"
            );
            assert!(!name_ru.is_empty() && name_ru.chars().count() <= 120);
            assert!(!name_en.is_empty() && name_en.chars().count() <= 120);
        }
        for merged_away in ["80", "81", "82", "84", "85", "88"] {
            assert!(!codes.contains(merged_away), "{merged_away} must be absent");
        }
        for present in [
            "02", "14", "23", "50", "66", "77", "78", "79", "83", "86", "87", "89",
        ] {
            assert!(codes.contains(present), "{present} must be present");
        }
        for new in 90..=95 {
            assert!(codes.contains(new.to_string().as_str()));
        }
    }

    #[test]
    fn work_types_are_ten_in_order() {
        assert_eq!(WORK_TYPES.len(), 10);
        let positions: Vec<i32> = WORK_TYPES.iter().map(|(_, p, _, _)| *p).collect();
        assert_eq!(positions, (1..=10).collect::<Vec<i32>>());
        let codes: HashSet<&str> = WORK_TYPES.iter().map(|(code, ..)| *code).collect();
        assert_eq!(
            codes.len(),
            WORK_TYPES.len(),
            "work type codes must be unique"
        );
        for (code, _, name_ru, name_en) in WORK_TYPES {
            assert!(code.len() <= 40);
            assert!(name_ru.chars().count() <= 200 && name_en.chars().count() <= 200);
        }
    }

    #[tokio::test]
    async fn migrator_fills_reference_tables_on_sqlite() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        Migrator::up(&db, None).await.unwrap();
        let backend = db.get_database_backend();

        let count = |table: &str| {
            Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}"))
        };
        let regions = db.query_one_raw(count("regions")).await.unwrap().unwrap();
        assert_eq!(regions.try_get::<i64>("", "n").unwrap(), 89);
        let work_types = db
            .query_one_raw(count("work_types"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(work_types.try_get::<i64>("", "n").unwrap(), 10);

        let moscow = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT name_ru FROM regions WHERE code = '77'",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            moscow.try_get::<String>("", "name_ru").unwrap(),
            "г. Москва"
        );

        let first = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT code FROM work_types WHERE position = 1",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            first.try_get::<String>("", "code").unwrap(),
            "land_plot_redistribution"
        );
    }
}
