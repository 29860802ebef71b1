//! Money as whole kopecks, and how Russian documents write it.
//!
//! An amount is an integer number of kopecks (1 rouble = 100 kopecks), never
//! negative and never above [`Kopecks::MAX`]. There are no floats anywhere:
//! percentages are computed in integers and rounded half up to the kopeck.
//!
//! Two spellings are provided: figures for screens ("12 345,67 ₽", see
//! [`Kopecks::display_ru`]) and words for contracts ("двенадцать тысяч
//! триста сорок пять рублей 67 копеек", see [`Kopecks::words_ru`]). The
//! Russian number words come from tables, with [`number_words_ru`] and
//! [`plural_ru`] public for other texts that need them.

use std::fmt;

/// NO-BREAK SPACE (U+00A0), between digit groups and before the rouble sign.
const NBSP: char = '\u{a0}';

/// Units 0–9, masculine (and neuter) then feminine: only 1 and 2 differ. Zero
/// is never spoken inside a number.
#[rustfmt::skip]
const UNITS: [[&str; 10]; 2] = [
    ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
    ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
];
/// 10–19, by units digit.
#[rustfmt::skip]
const TEENS: [&str; 10] = [
    "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать",
    "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать",
];
/// 20–90, by tens digit; 0 and 1 are never used (10–19 are [`TEENS`]).
#[rustfmt::skip]
const TENS: [&str; 10] = [
    "", "", "двадцать", "тридцать", "сорок",
    "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто",
];
/// 100–900, by hundreds digit.
#[rustfmt::skip]
const HUNDREDS: [&str; 10] = [
    "", "сто", "двести", "триста", "четыреста",
    "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот",
];

/// A scale word (тысяча, миллион, …): its gender and its three plural forms.
struct Scale {
    /// Whether the number before it is feminine ("одна тысяча").
    feminine: bool,
    /// One, few and many forms, as [`plural_ru`] takes them.
    forms: [&'static str; 3],
}

/// Scale words for 10^3, 10^6, … 10^18: enough for every `u64`.
#[rustfmt::skip]
const SCALES: [Scale; 6] = [
    Scale { feminine: true, forms: ["тысяча", "тысячи", "тысяч"] },
    Scale { feminine: false, forms: ["миллион", "миллиона", "миллионов"] },
    Scale { feminine: false, forms: ["миллиард", "миллиарда", "миллиардов"] },
    Scale { feminine: false, forms: ["триллион", "триллиона", "триллионов"] },
    Scale { feminine: false, forms: ["квадриллион", "квадриллиона", "квадриллионов"] },
    Scale { feminine: false, forms: ["квинтиллион", "квинтиллиона", "квинтиллионов"] },
];

/// An amount of money in kopecks (1 rouble = 100 kopecks), never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Kopecks(i64);

impl Kopecks {
    /// No money at all.
    pub const ZERO: Kopecks = Kopecks(0);
    /// Largest amount accepted: 1 000 000 000 roubles (100_000_000_000 kopecks).
    pub const MAX: Kopecks = Kopecks(100_000_000_000);

    /// The amount of `kopecks`, or `None` when it is negative or above
    /// [`Kopecks::MAX`].
    pub fn new(kopecks: i64) -> Option<Kopecks> {
        (0..=Self::MAX.0)
            .contains(&kopecks)
            .then_some(Kopecks(kopecks))
    }

    /// The amount of whole `roubles`, or `None` when it is negative or above
    /// [`Kopecks::MAX`].
    pub fn from_roubles(roubles: i64) -> Option<Kopecks> {
        roubles.checked_mul(100).and_then(Self::new)
    }

    /// The amount in kopecks.
    pub fn get(self) -> i64 {
        self.0
    }

    /// The whole roubles in the amount (12 345,67 ₽ → 12 345).
    pub fn roubles(self) -> i64 {
        self.0 / 100
    }

    /// The kopecks beyond whole roubles, 0..=99 (12 345,67 ₽ → 67).
    pub fn kopecks_part(self) -> i64 {
        self.0 % 100
    }

    /// The sum, or `None` when it would be above [`Kopecks::MAX`].
    pub fn checked_add(self, other: Kopecks) -> Option<Kopecks> {
        self.0.checked_add(other.0).and_then(Self::new)
    }

    /// The difference, or `None` when `other` is larger (money never goes
    /// negative).
    pub fn checked_sub(self, other: Kopecks) -> Option<Kopecks> {
        self.0.checked_sub(other.0).and_then(Self::new)
    }

    /// `percent`% of the amount, rounded half up to the kopeck, in integer
    /// arithmetic (i128 inside, so nothing overflows). Above 100% the result
    /// may pass [`Kopecks::MAX`]; it is then capped at [`Kopecks::MAX`].
    pub fn percent(self, percent: u8) -> Kopecks {
        let exact = (i128::from(self.0) * i128::from(percent) + 50) / 100;
        i64::try_from(exact)
            .ok()
            .and_then(Self::new)
            .unwrap_or(Self::MAX)
    }

    /// "12 345,67 ₽": roubles grouped by three with a NO-BREAK SPACE (U+00A0)
    /// between groups and before ₽, a comma, always two kopeck digits.
    pub fn display_ru(self) -> String {
        let digits = self.roubles().to_string();
        let mut out = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(NBSP);
            }
            out.push(digit);
        }
        out.push_str(&format!(",{:02}{NBSP}₽", self.kopecks_part()));
        out
    }

    /// Russian words, as written in contracts: "двенадцать тысяч триста сорок
    /// пять рублей 67 копеек". Zero roubles is "ноль рублей 00 копеек";
    /// kopecks are always two digits followed by the right form of "копейка"
    /// (01 копейка, 02 копейки, 05 копеек, 11 копеек, 21 копейка…).
    pub fn words_ru(self) -> String {
        let roubles = self.roubles().unsigned_abs();
        let kopecks = self.kopecks_part().unsigned_abs();
        format!(
            "{} {} {kopecks:02} {}",
            number_words_ru(roubles, false),
            plural_ru(roubles, "рубль", "рубля", "рублей"),
            plural_ru(kopecks, "копейка", "копейки", "копеек"),
        )
    }
}

impl fmt::Display for Kopecks {
    /// Same as [`Kopecks::display_ru`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_ru())
    }
}

/// The cardinal number `n` in Russian words, "ноль" for 0. `feminine` is the
/// gender of the counted noun, which only changes a final 1 or 2 ("одна
/// копейка", "две копейки"). Thousands are always feminine, millions and up
/// masculine, and zero groups are skipped ("один миллион", "одна тысяча
/// один").
pub fn number_words_ru(n: u64, feminine: bool) -> String {
    if n == 0 {
        return "ноль".to_owned();
    }
    let mut words = Vec::new();
    // Groups of three digits, from квинтиллионы (10^18) down to тысячи.
    for (i, scale) in SCALES.iter().enumerate().rev() {
        let group = n / 1000_u64.pow(i as u32 + 1) % 1000;
        if group > 0 {
            push_below_thousand(&mut words, group, scale.feminine);
            let [one, few, many] = scale.forms;
            words.push(plural_ru(group, one, few, many));
        }
    }
    let last = n % 1000;
    if last > 0 {
        push_below_thousand(&mut words, last, feminine);
    }
    words.join(" ")
}

/// Pushes the words of `n` (1..=999) onto `words`.
fn push_below_thousand(words: &mut Vec<&'static str>, n: u64, feminine: bool) {
    let digit = |d: u64| (d % 10) as usize;
    let units = &UNITS[usize::from(feminine)];
    let below_hundred = n % 100;
    let (tens, ones) = if (10..20).contains(&below_hundred) {
        (TEENS[digit(below_hundred)], "")
    } else {
        (TENS[digit(below_hundred / 10)], units[digit(below_hundred)])
    };
    for word in [HUNDREDS[digit(n / 100)], tens, ones] {
        if !word.is_empty() {
            words.push(word);
        }
    }
}

/// The Russian plural form for `n`: `one` for 1, 21, 101…; `few` for 2–4,
/// 22–24…; `many` for 0, 5–20, 25–30, 111–114….
pub fn plural_ru<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    if (11..=14).contains(&(n % 100)) {
        return many;
    }
    match n % 10 {
        1 => one,
        2..=4 => few,
        _ => many,
    }
}

#[cfg(test)]
// Test amounts are written as roubles_kopecks: 12_345_67 is 12 345,67 ₽.
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;

    fn k(kopecks: i64) -> Kopecks {
        Kopecks::new(kopecks).unwrap()
    }

    #[test]
    fn amounts_in_words() {
        for (kopecks, words) in [
            (0, "ноль рублей 00 копеек"),
            (1, "ноль рублей 01 копейка"),
            (21, "ноль рублей 21 копейка"),
            (100, "один рубль 00 копеек"),
            (200, "два рубля 00 копеек"),
            (202, "два рубля 02 копейки"),
            (500, "пять рублей 00 копеек"),
            (511, "пять рублей 11 копеек"),
            (1100, "одиннадцать рублей 00 копеек"),
            (2100, "двадцать один рубль 00 копеек"),
            (101_00, "сто один рубль 00 копеек"),
            (1_000_00, "одна тысяча рублей 00 копеек"),
            (1_001_00, "одна тысяча один рубль 00 копеек"),
            (2_000_00, "две тысячи рублей 00 копеек"),
            (5_000_00, "пять тысяч рублей 00 копеек"),
            (11_000_00, "одиннадцать тысяч рублей 00 копеек"),
            (21_000_00, "двадцать одна тысяча рублей 00 копеек"),
            (22_000_00, "двадцать две тысячи рублей 00 копеек"),
            (112_000_00, "сто двенадцать тысяч рублей 00 копеек"),
            (
                12_345_67,
                "двенадцать тысяч триста сорок пять рублей 67 копеек",
            ),
            (1_000_000_00, "один миллион рублей 00 копеек"),
            (2_500_000_00, "два миллиона пятьсот тысяч рублей 00 копеек"),
            (5_000_000_00, "пять миллионов рублей 00 копеек"),
            (1_000_000_000_00, "один миллиард рублей 00 копеек"),
            (
                999_999_999_99,
                "девятьсот девяносто девять миллионов девятьсот девяносто девять тысяч \
                 девятьсот девяносто девять рублей 99 копеек",
            ),
        ] {
            assert_eq!(k(kopecks).words_ru(), words, "{kopecks}");
        }
        assert_eq!(Kopecks::MAX.get(), 1_000_000_000_00);
    }

    #[test]
    fn numbers_in_words() {
        for (n, feminine, words) in [
            (0, true, "ноль"),
            (1, false, "один"),
            (1, true, "одна"),
            (2, true, "две"),
            (10, false, "десять"),
            (19, false, "девятнадцать"),
            (40, false, "сорок"),
            (90, false, "девяносто"),
            (200, false, "двести"),
            (1001, true, "одна тысяча одна"),
            (1_000_000_000_000, false, "один триллион"),
            (
                u64::MAX,
                false,
                "восемнадцать квинтиллионов четыреста сорок шесть квадриллионов \
                 семьсот сорок четыре триллиона семьдесят три миллиарда семьсот девять \
                 миллионов пятьсот пятьдесят одна тысяча шестьсот пятнадцать",
            ),
        ] {
            assert_eq!(number_words_ru(n, feminine), words, "{n}");
        }
    }

    #[test]
    fn display_in_figures() {
        for (kopecks, shown) in [
            (0, "0,00 ₽"),
            (5, "0,05 ₽"),
            (100, "1,00 ₽"),
            (99_999, "999,99 ₽"),
            (100_000, "1 000,00 ₽"),
            (12_345_67, "12 345,67 ₽"),
            (Kopecks::MAX.get(), "1 000 000 000,00 ₽"),
        ] {
            let expected = shown.replace(' ', "\u{a0}");
            assert_eq!(k(kopecks).display_ru(), expected, "{kopecks}");
            assert_eq!(k(kopecks).to_string(), expected, "{kopecks}");
        }
    }

    #[test]
    fn percent_rounds_half_up() {
        for (amount, pct, expected) in [
            (100_01, 30, 30_00), // 3000.3
            (1, 33, 0),          // 0.33
            (1, 50, 1),          // 0.5
            (3, 50, 2),          // 1.5
            (149, 1, 1),         // 1.49
            (150, 1, 2),         // 1.5
            (12_345_67, 20, 2_469_13),
            (12_345_67, 0, 0),
            (Kopecks::MAX.get(), 100, Kopecks::MAX.get()),
            (Kopecks::MAX.get(), 255, Kopecks::MAX.get()), // capped
        ] {
            assert_eq!(k(amount).percent(pct), k(expected), "{pct}% of {amount}");
        }
    }

    #[test]
    fn bounds_and_arithmetic() {
        assert_eq!(Kopecks::new(-1), None);
        assert_eq!(Kopecks::new(Kopecks::MAX.get() + 1), None);
        assert_eq!(Kopecks::new(0), Some(Kopecks::ZERO));
        assert_eq!(Kopecks::default(), Kopecks::ZERO);
        assert_eq!(Kopecks::from_roubles(1_000_000_000), Some(Kopecks::MAX));
        assert_eq!(Kopecks::from_roubles(1_000_000_001), None);
        assert_eq!(Kopecks::from_roubles(-1), None);
        assert_eq!(Kopecks::from_roubles(i64::MAX), None);
        assert_eq!(k(12_345_67).roubles(), 12_345);
        assert_eq!(k(12_345_67).kopecks_part(), 67);
        assert_eq!(k(1).checked_add(k(2)), Some(k(3)));
        assert_eq!(Kopecks::MAX.checked_add(Kopecks::ZERO), Some(Kopecks::MAX));
        assert_eq!(Kopecks::MAX.checked_add(k(1)), None);
        assert_eq!(k(5).checked_sub(k(5)), Some(Kopecks::ZERO));
        assert_eq!(k(5).checked_sub(k(6)), None);
    }

    #[test]
    fn plural_forms() {
        for (form, numbers) in [
            ("one", &[1, 21, 101, 1001][..]),
            ("few", &[2, 3, 4, 22, 24, 102]),
            ("many", &[0, 5, 11, 12, 14, 20, 25, 30, 111, 112, 114]),
        ] {
            for &n in numbers {
                assert_eq!(plural_ru(n, "one", "few", "many"), form, "{n}");
            }
        }
    }
}
