//! The sentence-length limit is set once for the process (this test binary
//! holds only this test, so no other test sees the changed limit).

use newsgraph_text::{max_sentence_tokens, set_max_sentence_tokens, split_sentences, tokenize};

#[test]
fn the_sentence_limit_is_configurable() {
    set_max_sentence_tokens(20);
    assert_eq!(max_sentence_tokens(), 20);
    // 12 words and a comma, then 12 more and a full stop: 26 tokens.
    let text = "a b c d e f g h i j k l, m n o p q r s t u v w x. Next sentence.";
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    // Cut after the comma (within the second half of the 20-token window).
    assert_eq!(sentences, [0..13, 13..26, 26..29]);
    set_max_sentence_tokens(0);
    assert_eq!(
        max_sentence_tokens(),
        2,
        "raised to the smallest useful limit"
    );
}
