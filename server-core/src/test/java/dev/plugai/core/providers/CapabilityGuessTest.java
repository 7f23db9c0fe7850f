package dev.plugai.core.providers;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CapabilityGuessTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", "gpt-4o-2024-08-06", "gpt-4.1-nano", "gpt-5", "o1", "o3", "o4-mini",
            "chatgpt-4o-latest", "llava:13b", "llama3.2-vision:11b", "qwen2.5vl:7b", "Qwen/Qwen2.5-VL-7B-Instruct",
            "gemma3:4b", "google/gemma-3-27b-it", "meta-llama/Llama-4-Scout-17B-16E-Instruct", "pixtral-12b-2409",
            "anthropic/claude-3.5-sonnet", "google/gemini-2.5-flash", "minicpm-v:8b", "moondream"})
    void visionFamiliesTakeImages(String name) {
        assertThat(CapabilityGuess.forName(name)).isEqualTo(Set.of("chat", "vision"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-3.5-turbo", "gpt-4", "o1-mini", "o3-mini", "llama3.1:8b", "mistral:7b",
            "deepseek-r1:14b", "qwen2.5:7b", "meta-llama/Llama-3.1-8B-Instruct", "llama-3.1-8b-instant",
            "devstral-small"})
    void otherChatModelsAreTextOnly(String name) {
        assertThat(CapabilityGuess.forName(name)).isEqualTo(Set.of("chat"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text-embedding-3-small", "nomic-embed-text", "BAAI/bge-m3-embedding"})
    void embeddingModelsAreEmbeddingsOnly(String name) {
        assertThat(CapabilityGuess.forName(name)).isEqualTo(Set.of("embeddings"));
    }
}
