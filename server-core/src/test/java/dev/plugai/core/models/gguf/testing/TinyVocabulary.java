package dev.plugai.core.models.gguf.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A small SentencePiece-style vocabulary: control tokens, all 256 byte tokens (so any text tokenizes)
 * and a few hundred ASCII words and characters, which are the only tokens the tiny model generates.
 */
final class TinyVocabulary {

    static final int UNKNOWN = 0;
    static final int BOS = 1;
    static final int EOS = 2;
    static final int IM_START = 3;
    static final int IM_END = 4;
    private static final int FIRST_BYTE = 5;
    static final int FIRST_WORD = FIRST_BYTE + 256;

    // llama.cpp's token types (llama_token_type).
    private static final int NORMAL = 1;
    private static final int UNKNOWN_TYPE = 2;
    private static final int CONTROL = 3;
    private static final int BYTE = 6;

    private static final String SPACE = "\u2581";
    private static final String WORDS = """
            the of and to in is it you that he was for on are with as his they be at one have this from or had by
            hot word but what some we can out other were all there when up use your how said an each she which do
            their time if will way about many then them write would like so these her long make thing see him two
            has look more day could go come did number sound no most people my over know water than call first who
            may down side been now find any new work part take get place made live where after back little only
            round man year came show every good me give our under name very through just form sentence great think
            say help low line differ turn cause much mean before move right boy old too same tell does set three
            want air well also play small end put home read hand port large spell add even land here must big high
            such follow act why ask men change went light kind off need house picture try us again animal point
            mother world near build self earth father hello model token llama tiny""";

    final List<String> tokens = new ArrayList<>();
    final List<Float> scores = new ArrayList<>();
    final List<Integer> types = new ArrayList<>();

    TinyVocabulary() {
        add("<unk>", 0, UNKNOWN_TYPE);
        add("<s>", 0, CONTROL);
        add("</s>", 0, CONTROL);
        add("<|im_start|>", 0, CONTROL);
        add("<|im_end|>", 0, CONTROL);
        for (int b = 0; b < 256; b++) {
            add("<0x%02X>".formatted(b), 0, BYTE);
        }
        Set<String> pieces = new LinkedHashSet<>();
        pieces.add(SPACE);
        for (char c = 33; c < 127; c++) {
            pieces.add(String.valueOf(c));
            pieces.add(SPACE + c);
        }
        for (String word : WORDS.split("\\s+")) {
            pieces.add(SPACE + word);
            pieces.add(word);
        }
        for (String piece : pieces) {
            // SentencePiece merges prefer higher scores: longer pieces win.
            add(piece, -1000f + piece.length() * 10f, NORMAL);
        }
    }

    private void add(String token, float score, int type) {
        tokens.add(token);
        scores.add(score);
        types.add(type);
    }

    int size() {
        return tokens.size();
    }

    /** Whether the model may generate this token: words and characters, never control or byte tokens. */
    boolean generates(int id) {
        return id >= FIRST_WORD;
    }

    float[] scoreArray() {
        float[] array = new float[scores.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = scores.get(i);
        }
        return array;
    }

    int[] typeArray() {
        return types.stream().mapToInt(Integer::intValue).toArray();
    }
}
