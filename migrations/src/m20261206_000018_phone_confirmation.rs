//! A phone number is confirmed by an SMS code before it is saved, and an
//! account may ask for an SMS code after the password or certificate step
//! (docs/accounts.md, "Phone and the second factor"): `phone_confirmed_at`
//! says when the number now saved was confirmed — numbers saved before
//! this migration were never confirmed and stay so (null): they neither
//! log in by SMS nor carry a second factor until confirmed;
//! `second_factor_sms` switches the second factor on.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    PhoneConfirmedAt,
    SecondFactorSms,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [
            ColumnDef::new(Users::PhoneConfirmedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Users::SecondFactorSms)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
