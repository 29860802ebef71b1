//! Engineers, employers and the SRO registry (docs/API.md, docs/employers.md, docs/sro-registry.md).
//!
//! * `engineer_profiles`: the editable part of an engineer's profile, one row
//!   per engineer (created on the first save); `engineer_regions` and
//!   `engineer_work_types` hold his activity regions and priced work types.
//! * `requisites`: bank details of any account (an engineer who is a sole
//!   proprietor, an employer, a customer), one row per account. An employee
//!   engineer uses his employer's row (read-only).
//! * `employers`: the "I employ cadastral engineers" switch of an account,
//!   with the organisation's name and INN shown to engineers.
//! * `employments`: join requests and employment of engineers; at most one
//!   requested, active or suspended employment per engineer (a partial
//!   unique index).
//! * `sro_registry`: the platform's copy of the SRO registry, keyed by SNILS.
//! * `users.last_login_at`: when the account last logged in (an employer may
//!   add an engineer directly only after the engineer has logged in once).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Snils,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum WorkTypes {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum EngineerProfiles {
    Table,
    UserId,
    Website,
    Residence,
    Contacts,
    ExperienceYears,
    WorkingHours,
    Education,
    About,
    AcceptOffers,
    Documents,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EngineerRegions {
    Table,
    UserId,
    RegionCode,
}

#[derive(DeriveIden)]
enum EngineerWorkTypes {
    Table,
    UserId,
    WorkType,
    Price,
}

#[derive(DeriveIden)]
enum Requisites {
    Table,
    UserId,
    Recipient,
    Inn,
    Kpp,
    BankName,
    Bik,
    Account,
    CorrespondentAccount,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Employers {
    Table,
    UserId,
    Name,
    Inn,
    Enabled,
    EnabledAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Employments {
    Table,
    Id,
    EmployerId,
    EngineerId,
    Status,
    BasisDate,
    BasisName,
    BasisNumber,
    BasisFileId,
    CreatedAt,
    DecidedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SroRegistry {
    Table,
    Snils,
    FullName,
    SroName,
    RegistryNumber,
    Status,
    StatusDate,
    UpdatedAt,
}

fn timestamp<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn user_fk(
    name: &str,
    table: impl IntoTableRef,
    column: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::LastLoginAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_snils")
                    .table(Users::Table)
                    .col(Users::Snils)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EngineerProfiles::Table)
                    .col(
                        ColumnDef::new(EngineerProfiles::UserId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(EngineerProfiles::Website)
                            .string_len(2048)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EngineerProfiles::Residence)
                            .string_len(200)
                            .null(),
                    )
                    .col(ColumnDef::new(EngineerProfiles::Contacts).text().null())
                    .col(
                        ColumnDef::new(EngineerProfiles::ExperienceYears)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EngineerProfiles::WorkingHours)
                            .string_len(200)
                            .null(),
                    )
                    .col(ColumnDef::new(EngineerProfiles::Education).text().null())
                    .col(ColumnDef::new(EngineerProfiles::About).text().null())
                    .col(
                        ColumnDef::new(EngineerProfiles::AcceptOffers)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(ColumnDef::new(EngineerProfiles::Documents).text().null())
                    .col(
                        ColumnDef::new(EngineerProfiles::Version)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .col(timestamp(EngineerProfiles::CreatedAt))
                    .col(timestamp(EngineerProfiles::UpdatedAt))
                    .foreign_key(&mut user_fk(
                        "fk_engineer_profiles_user",
                        EngineerProfiles::Table,
                        EngineerProfiles::UserId,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EngineerRegions::Table)
                    .col(ColumnDef::new(EngineerRegions::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(EngineerRegions::RegionCode)
                            .string_len(2)
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(EngineerRegions::UserId)
                            .col(EngineerRegions::RegionCode),
                    )
                    .foreign_key(&mut user_fk(
                        "fk_engineer_regions_user",
                        EngineerRegions::Table,
                        EngineerRegions::UserId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_engineer_regions_region")
                            .from(EngineerRegions::Table, EngineerRegions::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_engineer_regions_region")
                    .table(EngineerRegions::Table)
                    .col(EngineerRegions::RegionCode)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EngineerWorkTypes::Table)
                    .col(ColumnDef::new(EngineerWorkTypes::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(EngineerWorkTypes::WorkType)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EngineerWorkTypes::Price)
                            .big_integer()
                            .null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(EngineerWorkTypes::UserId)
                            .col(EngineerWorkTypes::WorkType),
                    )
                    .foreign_key(&mut user_fk(
                        "fk_engineer_work_types_user",
                        EngineerWorkTypes::Table,
                        EngineerWorkTypes::UserId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_engineer_work_types_work_type")
                            .from(EngineerWorkTypes::Table, EngineerWorkTypes::WorkType)
                            .to(WorkTypes::Table, WorkTypes::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_engineer_work_types_work_type")
                    .table(EngineerWorkTypes::Table)
                    .col(EngineerWorkTypes::WorkType)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Requisites::Table)
                    .col(
                        ColumnDef::new(Requisites::UserId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Requisites::Recipient)
                            .string_len(300)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Requisites::Inn).string_len(12).not_null())
                    .col(ColumnDef::new(Requisites::Kpp).string_len(9).null())
                    .col(
                        ColumnDef::new(Requisites::BankName)
                            .string_len(300)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Requisites::Bik).string_len(9).not_null())
                    .col(
                        ColumnDef::new(Requisites::Account)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Requisites::CorrespondentAccount)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Requisites::Version)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .col(timestamp(Requisites::UpdatedAt))
                    .foreign_key(&mut user_fk(
                        "fk_requisites_user",
                        Requisites::Table,
                        Requisites::UserId,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Employers::Table)
                    .col(
                        ColumnDef::new(Employers::UserId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Employers::Name).string_len(300).not_null())
                    .col(ColumnDef::new(Employers::Inn).string_len(12).not_null())
                    .col(ColumnDef::new(Employers::Enabled).boolean().not_null())
                    .col(timestamp(Employers::EnabledAt))
                    .col(timestamp(Employers::UpdatedAt))
                    .foreign_key(&mut user_fk(
                        "fk_employers_user",
                        Employers::Table,
                        Employers::UserId,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Employments::Table)
                    .col(
                        ColumnDef::new(Employments::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Employments::EmployerId).uuid().not_null())
                    .col(ColumnDef::new(Employments::EngineerId).uuid().not_null())
                    .col(
                        ColumnDef::new(Employments::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Employments::BasisDate).date().null())
                    .col(
                        ColumnDef::new(Employments::BasisName)
                            .string_len(300)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Employments::BasisNumber)
                            .string_len(100)
                            .null(),
                    )
                    .col(ColumnDef::new(Employments::BasisFileId).uuid().null())
                    .col(timestamp(Employments::CreatedAt))
                    .col(
                        ColumnDef::new(Employments::DecidedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(timestamp(Employments::UpdatedAt))
                    .foreign_key(&mut user_fk(
                        "fk_employments_employer",
                        Employments::Table,
                        Employments::EmployerId,
                    ))
                    .foreign_key(&mut user_fk(
                        "fk_employments_engineer",
                        Employments::Table,
                        Employments::EngineerId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_employments_employer_status")
                    .table(Employments::Table)
                    .col(Employments::EmployerId)
                    .col(Employments::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_employments_engineer")
                    .table(Employments::Table)
                    .col(Employments::EngineerId)
                    .to_owned(),
            )
            .await?;
        // One current (requested, active or suspended) employment per
        // engineer. Partial indexes are plain SQL on SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_employments_engineer_current ON employments (engineer_id) \
                 WHERE status IN ('requested', 'active', 'suspended')",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SroRegistry::Table)
                    .col(
                        ColumnDef::new(SroRegistry::Snils)
                            .string_len(11)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SroRegistry::FullName)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SroRegistry::SroName)
                            .string_len(500)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SroRegistry::RegistryNumber)
                            .string_len(100)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SroRegistry::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SroRegistry::StatusDate).date().null())
                    .col(timestamp(SroRegistry::UpdatedAt))
                    .to_owned(),
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use sea_orm_migration::sea_orm::{ConnectionTrait, Database};

    use crate::{Migrator, MigratorTrait};

    #[tokio::test]
    async fn one_current_employment_per_engineer_on_sqlite() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        Migrator::up(&db, None).await.unwrap();
        let insert_user = |id: &str| {
            format!(
                "INSERT INTO users (id, email, version, created_at, updated_at) \
                 VALUES ('{id}', '{id}@example.ru', 1, '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z')"
            )
        };
        for id in ["e1", "e2", "w1"] {
            db.execute_unprepared(&insert_user(id)).await.unwrap();
        }
        let employment = |id: &str, employer: &str, status: &str| {
            format!(
                "INSERT INTO employments (id, employer_id, engineer_id, status, created_at, updated_at) \
                 VALUES ('{id}', '{employer}', 'w1', '{status}', '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z')"
            )
        };
        db.execute_unprepared(&employment("a", "e1", "rejected"))
            .await
            .unwrap();
        db.execute_unprepared(&employment("b", "e1", "removed"))
            .await
            .unwrap();
        db.execute_unprepared(&employment("c", "e1", "requested"))
            .await
            .unwrap();
        assert!(
            db.execute_unprepared(&employment("d", "e2", "active"))
                .await
                .is_err(),
            "a second current employment must be refused"
        );
        db.execute_unprepared(&employment("e", "e2", "rejected"))
            .await
            .unwrap();
    }
}
