//! Lists, one page at a time: the page a request asks for ([`PageQuery`],
//! `?limit=&cursor=`) and the page it gets ([`Page`], `{items,
//! next_cursor}`). Every list of the API uses both.
//!
//! A cursor is opaque: the client passes back the `next_cursor` of the
//! previous page, unchanged, with the same filters and sort.

use crate::limits::LIST_LIMIT_MAX;
use serde::{Deserialize, Deserializer, Serialize};

/// Page size of a list when the request names none.
pub const DEFAULT_LIMIT: u32 = 20;

/// One page of a list: its items and the cursor of the next page.
///
/// The OpenAPI document names each page after its list (`OrderList`,
/// `ChatPage`, …): see `page_schema!`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items of this page, in the list's order.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The last page: nothing after these items.
    pub fn last(items: Vec<T>) -> Self {
        Self {
            items,
            next_cursor: None,
        }
    }
}

/// The page a list request asks for: `limit` and `cursor` in the query
/// string. `DEFAULT` is the page size when `limit` is absent: 20, except
/// the lists that always had another (the chat and the development outbox:
/// 50).
///
/// A list's own filters embed it as `#[serde(flatten)] pub page:
/// PageQuery` with `#[param(ignore)]`, and its route lists both in
/// `params(..)`: utoipa's `IntoParams` derive does not follow
/// `#[serde(flatten)]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageQuery<const DEFAULT: u32 = DEFAULT_LIMIT> {
    /// Page size, 1–100 (default `DEFAULT`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "limit_in_query"
    )]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl<const DEFAULT: u32> PageQuery<DEFAULT> {
    /// The page size asked for (`DEFAULT` when none); `None` when it is
    /// not within 1–[`LIST_LIMIT_MAX`].
    pub fn limit(&self) -> Option<u32> {
        Some(self.limit.unwrap_or(DEFAULT)).filter(|n| (1..=LIST_LIMIT_MAX).contains(n))
    }

    /// The page size asked for (`DEFAULT` when none), brought within
    /// 1–[`LIST_LIMIT_MAX`] instead of refused.
    pub fn limit_clamped(&self) -> u32 {
        self.limit.unwrap_or(DEFAULT).clamp(1, LIST_LIMIT_MAX)
    }
}

/// `limit` as a number, from the query string's text or a JSON number.
///
/// A flattened field gets the query string's values as text, where a plain
/// `u32` field would refuse them; the parse error reads as before
/// ("invalid digit found in string").
fn limit_in_query<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    use serde::de::{Error, Unexpected, Visitor};
    use std::fmt;

    struct Limit;

    impl<'de> Visitor<'de> for Limit {
        type Value = Option<u32>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a page size")
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<Self::Value, E> {
            text.parse().map(Some).map_err(E::custom)
        }

        fn visit_u64<E: Error>(self, n: u64) -> Result<Self::Value, E> {
            u32::try_from(n)
                .map(Some)
                .map_err(|_| E::invalid_value(Unexpected::Unsigned(n), &self))
        }

        fn visit_i64<E: Error>(self, n: i64) -> Result<Self::Value, E> {
            u32::try_from(n)
                .map(Some)
                .map_err(|_| E::invalid_value(Unexpected::Signed(n), &self))
        }

        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    deserializer.deserialize_any(Limit)
}

#[cfg(feature = "openapi")]
mod openapi {
    use super::PageQuery;
    use crate::limits::LIST_LIMIT_MAX;
    use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{
        ArrayBuilder, KnownFormat, ObjectBuilder, Ref, Schema, SchemaFormat, SchemaType, Type,
    };
    use utoipa::openapi::{RefOr, Required};

    /// `limit` and `cursor`, described as the derive would describe them.
    impl<const DEFAULT: u32> utoipa::IntoParams for PageQuery<DEFAULT> {
        fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
            let limit = ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                .minimum(Some(1))
                .maximum(Some(LIST_LIMIT_MAX));
            vec![
                ParameterBuilder::new()
                    .name("limit")
                    .parameter_in(ParameterIn::Query)
                    .description(Some(format!(
                        "Page size, 1–{LIST_LIMIT_MAX} (default {DEFAULT})."
                    )))
                    .required(Required::False)
                    .schema(Some(limit))
                    .build(),
                ParameterBuilder::new()
                    .name("cursor")
                    .parameter_in(ParameterIn::Query)
                    .description(Some("`next_cursor` of the previous page."))
                    .required(Required::False)
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .build(),
            ]
        }
    }

    /// The schema of a page of `T`s: what `#[derive(ToSchema)]` makes of
    /// a struct `{items: Vec<T>, next_cursor: Option<String>}` with these
    /// descriptions. The example goes in `example`, as the derive's
    /// `schema(example = ..)` puts it (deprecated by OpenAPI 3.1, kept so
    /// the document does not change).
    #[allow(deprecated)]
    pub fn schema<T: utoipa::ToSchema>(
        description: &str,
        items: Option<&str>,
        next_cursor: &str,
        example: Option<serde_json::Value>,
    ) -> RefOr<Schema> {
        ObjectBuilder::new()
            .description(Some(description))
            .property(
                "items",
                ArrayBuilder::new()
                    .items(Ref::from_schema_name(T::name()))
                    .description(items),
            )
            .required("items")
            .property(
                "next_cursor",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .description(Some(next_cursor)),
            )
            .example(example)
            .into()
    }

    /// The schemas a page refers to: its item's and what that refers to.
    pub fn schemas<T: utoipa::ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into(), T::schema()));
        T::schemas(schemas);
    }
}

#[cfg(feature = "openapi")]
pub(crate) use openapi::{schema, schemas};

/// Declares a list's page, `pub type $name = Page<$item>;`, and (with the
/// `openapi` feature) its schema under the list's own name, with the
/// descriptions of its fields: the OpenAPI document keeps one named
/// schema per list (`OrderList`, `ChatPage`, …) rather than `Page_…`.
///
/// ```ignore
/// crate::page::page_schema! {
///     /// A page of orders.
///     OrderList = Page<OrderSummary> {
///         items: "Orders of this page.",
///         next_cursor: "Cursor of the next page; `null` on the last one.",
///     }
/// }
/// ```
macro_rules! page_schema {
    (
        #[doc = $doc:literal]
        $name:ident = Page<$item:ty> {
            $(items: $items:literal,)?
            next_cursor: $next:literal,
            $(example: $example:tt,)?
        }
    ) => {
        #[doc = $doc]
        pub type $name = $crate::page::Page<$item>;

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $crate::page::Page<$item> {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::page::schema::<$item>(
                    $doc.trim(),
                    None$(.or(Some($items)))?,
                    $next,
                    None$(.or(Some(::serde_json::json!($example))))?,
                )
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $crate::page::Page<$item> {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn schemas(
                schemas: &mut Vec<(
                    String,
                    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
                )>,
            ) {
                $crate::page::schemas::<$item>(schemas);
            }
        }
    };
}
pub(crate) use page_schema;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_items_and_the_next_cursor() {
        let page = Page {
            items: vec![1, 2],
            next_cursor: Some("abc".to_owned()),
        };
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"items": [1, 2], "next_cursor": "abc"})
        );
        assert_eq!(
            serde_json::to_value(Page::<u8>::last(vec![])).unwrap(),
            serde_json::json!({"items": [], "next_cursor": null})
        );
    }

    #[test]
    fn the_limit_defaults_and_stays_within_bounds() {
        let page = |limit| PageQuery::<20> {
            limit,
            cursor: None,
        };
        assert_eq!(page(None).limit(), Some(20));
        assert_eq!(PageQuery::<50>::default().limit(), Some(50));
        assert_eq!(page(Some(1)).limit(), Some(1));
        assert_eq!(page(Some(100)).limit(), Some(100));
        assert_eq!(page(Some(0)).limit(), None);
        assert_eq!(page(Some(101)).limit(), None);
        assert_eq!(page(Some(0)).limit_clamped(), 1);
        assert_eq!(page(Some(101)).limit_clamped(), 100);
        assert_eq!(PageQuery::<50>::default().limit_clamped(), 50);
    }

    #[test]
    fn the_limit_reads_from_text_and_numbers() {
        let from_json: PageQuery = serde_json::from_str(r#"{"limit": 5, "cursor": "x"}"#).unwrap();
        assert_eq!(
            from_json,
            PageQuery {
                limit: Some(5),
                cursor: Some("x".to_owned())
            }
        );
        let from_text: PageQuery = serde_json::from_str(r#"{"limit": "7"}"#).unwrap();
        assert_eq!(from_text.limit, Some(7));
        let none: PageQuery = serde_json::from_str(r#"{"limit": null}"#).unwrap();
        assert_eq!(none.limit, None);
        let err = serde_json::from_str::<PageQuery>(r#"{"limit": "abc"}"#).unwrap_err();
        assert!(
            err.to_string().contains("invalid digit found in string"),
            "{err}"
        );
        assert!(serde_json::from_str::<PageQuery>(r#"{"limit": -1}"#).is_err());
    }

    #[test]
    fn a_flattened_page_reads_the_query_string_text() {
        #[derive(Debug, Deserialize)]
        struct Filters {
            q: Option<String>,
            #[serde(flatten)]
            page: PageQuery,
        }
        // What actix's `Query` does: serde_urlencoded hands every value as text.
        let pairs = serde_json::json!({"q": "x", "limit": "3", "cursor": "c"});
        let f: Filters = serde_json::from_value(pairs).unwrap();
        assert_eq!(f.q.as_deref(), Some("x"));
        assert_eq!(f.page.limit, Some(3));
        assert_eq!(f.page.cursor.as_deref(), Some("c"));
    }
}
