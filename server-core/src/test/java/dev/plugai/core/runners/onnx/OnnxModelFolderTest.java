package dev.plugai.core.runners.onnx;

import dev.plugai.core.backends.ModelLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxModelFolderTest {

    @TempDir
    Path temp;

    @Test
    void probeReadsTheMiniLmExport() throws Exception {
        Path folder = MiniLmFolder.create(Files.createDirectory(temp.resolve("all-minilm-l6-v2")));

        OnnxModelSummary summary = OnnxModelFolder.probe(folder);

        assertThat(summary.name()).isEqualTo("all-minilm-l6-v2");
        assertThat(summary.modelType()).isEqualTo("bert");
        assertThat(summary.dimensions()).isEqualTo(384);
        assertThat(summary.maxTokens()).isEqualTo(256); // sentence_bert_config.json beats 512 positions
        assertThat(summary.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(summary.normalises()).isTrue();
        assertThat(summary.sizeOnDiskBytes()).isGreaterThan(Files.size(folder.resolve("model.onnx")));
    }

    @Test
    void probeLoadsNeitherOnnxRuntimeNorDjl() throws Exception {
        Path folder = MiniLmFolder.create(Files.createDirectory(temp.resolve("minilm")));

        // A class loader of its own shows exactly which classes the probe needed, whatever other tests
        // already loaded in this JVM.
        try (IsolatedLoader loader = new IsolatedLoader()) {
            Class<?> folderClass = loader.loadClass(OnnxModelFolder.class.getName());
            Method probe = folderClass.getMethod("probe", Path.class);
            Object summary = probe.invoke(null, folder);

            assertThat(summary.getClass().getMethod("dimensions").invoke(summary)).isEqualTo(384);
            assertThat(loader.loaded("ai.onnxruntime.OrtEnvironment")).isFalse();
            assertThat(loader.loaded("ai.djl.engine.Engine")).isFalse();
            assertThat(loader.loaded("ai.djl.huggingface.tokenizers.HuggingFaceTokenizer")).isFalse();
        }
    }

    @Test
    void modelInTheOnnxSubfolderIsFound() throws Exception {
        Path folder = Files.createDirectory(temp.resolve("optimum"));
        MiniLmFolder.write(folder, "onnx/model.onnx", "not read by a probe");
        MiniLmFolder.write(folder, "tokenizer.json", "{}");
        MiniLmFolder.write(folder, "config.json", MiniLmFolder.CONFIG);

        OnnxModelFolder model = OnnxModelFolder.read(folder);

        assertThat(OnnxModelFolder.recognises(folder)).isTrue();
        assertThat(model.modelFile()).isEqualTo(folder.resolve("onnx/model.onnx"));
        assertThat(model.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(model.normalises()).isFalse();
        assertThat(model.maxTokens()).isEqualTo(512);
    }

    @Test
    void clsPoolingAndRobertaPositionsAreRead() throws Exception {
        Path folder = minimalFolder("bge-like", """
                {"model_type":"xlm-roberta","hidden_size":1024,"max_position_embeddings":514}""");
        MiniLmFolder.write(folder, "modules.json", MiniLmFolder.MODULES_WITH_NORMALIZE);
        MiniLmFolder.write(folder, "1_Pooling/config.json", """
                {"word_embedding_dimension":1024,"pooling_mode_cls_token":true,"pooling_mode_mean_tokens":false}""");

        OnnxModelFolder model = OnnxModelFolder.read(folder);

        assertThat(model.pooling()).isEqualTo(Pooling.CLS);
        assertThat(model.dimensions()).isEqualTo(1024);
        assertThat(model.maxTokens()).isEqualTo(512);
        assertThat(model.normalises()).isTrue();
    }

    @Test
    void distilBertDimensionsComeFromDim() throws Exception {
        Path folder = minimalFolder("distil", """
                {"model_type":"distilbert","dim":768,"max_position_embeddings":512}""");

        assertThat(OnnxModelFolder.read(folder).dimensions()).isEqualTo(768);
    }

    @Test
    void missingTokenizerIsNamed() throws Exception {
        Path folder = Files.createDirectory(temp.resolve("no-tokenizer"));
        MiniLmFolder.write(folder, "model.onnx", "x");
        MiniLmFolder.write(folder, "config.json", MiniLmFolder.CONFIG);

        assertThatThrownBy(() -> OnnxModelFolder.probe(folder))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer.json is missing from " + folder);
    }

    @Test
    void missingModelAndConfigAreNamed() throws Exception {
        Path noModel = Files.createDirectory(temp.resolve("no-model"));
        MiniLmFolder.write(noModel, "tokenizer.json", "{}");
        Path noConfig = Files.createDirectory(temp.resolve("no-config"));
        MiniLmFolder.write(noConfig, "model.onnx", "x");
        MiniLmFolder.write(noConfig, "tokenizer.json", "{}");

        assertThat(OnnxModelFolder.recognises(noModel)).isFalse();
        assertThatThrownBy(() -> OnnxModelFolder.read(noModel))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("no model.onnx");
        assertThatThrownBy(() -> OnnxModelFolder.read(noConfig))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("config.json is missing");
        assertThatThrownBy(() -> OnnxModelFolder.read(temp.resolve("absent")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("is not a folder");
    }

    @Test
    void unreadableConfigIsReported() throws Exception {
        Path folder = minimalFolder("broken", "{\"model_type\": \"bert\", ");

        assertThatThrownBy(() -> OnnxModelFolder.read(folder))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("config.json in " + folder + " is not valid JSON");
    }

    @Test
    void configWithoutHiddenSizeIsReported() throws Exception {
        Path folder = minimalFolder("sizeless", "{\"model_type\":\"bert\"}");

        assertThatThrownBy(() -> OnnxModelFolder.read(folder))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no hidden_size");
    }

    @Test
    void unsupportedPoolingIsReported() throws Exception {
        Path folder = minimalFolder("sqrt", MiniLmFolder.CONFIG);
        MiniLmFolder.write(folder, "1_Pooling/config.json", "{\"pooling_mode_mean_sqrt_len_tokens\":true}");

        assertThatThrownBy(() -> OnnxModelFolder.read(folder))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("pooling 'mean_sqrt_len_tokens'");
    }

    private Path minimalFolder(String name, String config) throws Exception {
        Path folder = Files.createDirectory(temp.resolve(name));
        MiniLmFolder.write(folder, "model.onnx", "x");
        MiniLmFolder.write(folder, "tokenizer.json", "{}");
        MiniLmFolder.write(folder, "config.json", config);
        return folder;
    }

    /** Loads every class from the test class path itself, not from the application class loader. */
    private static final class IsolatedLoader extends URLClassLoader {

        IsolatedLoader() {
            super(classPath(), ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }

        private static URL[] classPath() {
            return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .map(entry -> {
                        try {
                            return Path.of(entry).toUri().toURL();
                        } catch (MalformedURLException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toArray(URL[]::new);
        }
    }
}
