package io.persistencelog.codec;

/** UTF-16 hygiene for text that must become valid UTF-8. */
final class Utf16 {

    private static final char REPLACEMENT = '\uFFFD';

    private Utf16() {
    }

    static String replaceUnpairedSurrogates(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return rebuild(text, i);
            }
        }
        return text;
    }

    private static String rebuild(String text, int firstBad) {
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, firstBad);
        int length = text.length();
        for (int i = firstBad; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            }
            else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
