//! Pinyin keys for names: what makes `zhangwei` and `zw` find 张伟, and what sorts Chinese names
//! the way a Chinese reader expects.

use pinyin::ToPinyin;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKeys {
    /// Full pinyin, syllables joined by spaces (`zhang wei`); empty for names with no Chinese.
    pub pinyin: String,
    /// First letters of each syllable (`zw`); empty for names with no Chinese.
    pub initials: String,
    /// Lower-cased sort key: pinyin for Chinese characters, the character itself otherwise.
    pub sort_key: String,
}

pub fn name_keys(name: &str) -> NameKeys {
    let mut syllables = Vec::new();
    let mut initials = String::new();
    let mut sort_key = String::new();
    for (ch, py) in name.chars().zip(name.to_pinyin()) {
        match py {
            Some(py) => {
                let plain = py.plain();
                syllables.push(plain);
                initials.push_str(py.first_letter());
                if !sort_key.is_empty() && !sort_key.ends_with(' ') {
                    sort_key.push(' ');
                }
                sort_key.push_str(plain);
                sort_key.push(' ');
            }
            None => sort_key.extend(ch.to_lowercase()),
        }
    }
    NameKeys {
        pinyin: syllables.join(" "),
        initials,
        sort_key: sort_key.trim_end().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_get_pinyin_and_initials() {
        let keys = name_keys("张伟");
        assert_eq!(keys.pinyin, "zhang wei");
        assert_eq!(keys.initials, "zw");
        assert_eq!(keys.sort_key, "zhang wei");
    }

    #[test]
    fn latin_names_sort_by_themselves() {
        let keys = name_keys("Tom Lee");
        assert_eq!(keys.pinyin, "");
        assert_eq!(keys.sort_key, "tom lee");
    }

    #[test]
    fn chinese_sorts_among_latin_by_sound() {
        let mut names = vec!["张伟", "Amy Chen", "李娜", "Zoe"];
        names.sort_by_key(|n| name_keys(n).sort_key);
        assert_eq!(names, ["Amy Chen", "李娜", "张伟", "Zoe"]);
    }
}
