package dev.plugai.core.runners.llamacpp;

import java.util.Set;

/**
 * The model architectures the llama.cpp inside {@code de.kherud:llama} 4.2.0 (build b4916, March 2025)
 * knows, from its {@code LLM_ARCH_NAMES}. Checked before native code runs so that a newer model fails
 * with a clear reason instead of a native error. Update together with the binding.
 */
final class SupportedArchitectures {

    static final String LLAMA_CPP_BUILD = "b4916";

    private static final Set<String> NAMES = Set.of(
            "llama", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder", "refact",
            "bert", "nomic-bert", "jina-bert-v2", "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl", "phi2",
            "phi3", "phimoe", "plamo", "codeshell", "orion", "internlm2", "minicpm", "minicpm3", "gemma", "gemma2",
            "gemma3", "starcoder2", "mamba", "xverse", "command-r", "cohere2", "dbrx", "olmo", "olmo2", "olmoe",
            "openelm", "arctic", "deepseek", "deepseek2", "chatglm", "bitnet", "t5", "t5encoder", "jais", "nemotron",
            "exaone", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7", "granite", "granitemoe", "chameleon",
            "wavtokenizer-dec");

    private SupportedArchitectures() {
    }

    static boolean contains(String architecture) {
        return NAMES.contains(architecture);
    }
}
