package dev.plugai.core.runners.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.Pair;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.GenerationResult.FinishReason;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.backends.TokenSink;
import dev.plugai.core.models.gguf.GgufFile;
import dev.plugai.core.models.gguf.GgufValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Streams text from a llama.cpp model. Chats are rendered with the model's own chat template (by
 * llama.cpp's Jinja engine), then generated like a raw prompt.
 *
 * <p>The binding streams one piece per token, except that llama.cpp holds back a token that ends in an
 * incomplete UTF-8 character or could start a stop sequence and sends it with the next: completion
 * tokens are counted as pieces, exact for ordinary text. Thread-safe.
 */
final class LlamaCppGenerator implements TextGenerator {

    private final LlamaModel model;
    private final int contextSize;
    private final boolean addsBos;
    private final InferenceSettings settings;

    LlamaCppGenerator(LlamaModel model, GgufFile gguf, int contextSize) {
        this.model = model;
        this.contextSize = contextSize;
        // SentencePiece ("llama") vocabularies add BOS unless told not to; BPE ones only when told to.
        boolean spm = gguf.string("tokenizer.ggml.model").map("llama"::equals).orElse(false);
        this.addsBos = gguf.metadata().get("tokenizer.ggml.add_bos_token") instanceof GgufValue.Bool bool
                ? bool.value() : spm;
        this.settings = new InferenceSettings(gguf.summary().recommendedSampling());
    }

    @Override
    public GenerationResult generate(TextRequest request, TokenSink sink, Cancellation cancellation) {
        long start = System.nanoTime();
        String prompt = request.prompt().orElseGet(() -> chatPrompt(request.messages()));
        int promptTokens = model.encode(prompt).length + (addsBos ? 1 : 0);
        Integer maxTokens = request.parameters().maxTokens();
        int tokenLimit = maxTokens != null ? maxTokens : Math.max(1, contextSize - promptTokens);
        InferenceParameters parameters = settings.toParameters(prompt, request.parameters(), tokenLimit);

        StringBuilder text = new StringBuilder();
        int pieces = 0;
        long firstAt = 0;
        long lastAt = 0;
        boolean cancelled = false;
        LlamaIterator iterator = model.generate(parameters).iterator();
        boolean finished = false;
        try {
            while (iterator.hasNext()) {
                if (cancellation.isCancelled()) {
                    cancelled = true;
                    break;
                }
                LlamaOutput output = iterator.next();
                if (output.text.isEmpty()) {
                    continue;
                }
                lastAt = System.nanoTime();
                if (pieces++ == 0) {
                    firstAt = lastAt;
                }
                text.append(output.text);
                sink.onText(output.text);
            }
            finished = !cancelled;
        } finally {
            if (!finished) {
                // Cancelled, or the sink failed (a client went away): free the slot at once.
                iterator.cancel();
            }
        }
        FinishReason reason = cancelled ? FinishReason.CANCELLED
                : pieces >= tokenLimit ? FinishReason.LENGTH : FinishReason.STOP;
        long end = System.nanoTime();
        double tokensPerSecond = pieces > 1 && lastAt > firstAt ? (pieces - 1) * 1e9 / (lastAt - firstAt) : 0;
        return new GenerationResult(text.toString(), reason, new GenerationResult.Usage(promptTokens, pieces),
                new GenerationResult.Timings(Duration.ofNanos(pieces > 0 ? firstAt - start : end - start),
                        Duration.ofNanos(end - start), tokensPerSecond));
    }

    /**
     * The binding takes one system prompt and then user and assistant turns, so system messages are
     * joined into that one system prompt.
     */
    private String chatPrompt(List<ChatMessage> messages) {
        String system = messages.stream().filter(message -> message.role().equals("system"))
                .map(ChatMessage::content).collect(Collectors.joining("\n\n"));
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ChatMessage message : messages) {
            if (!message.role().equals("system")) {
                turns.add(new Pair<>(message.role(), message.content()));
            }
        }
        return model.applyTemplate(new InferenceParameters("").setMessages(system, turns));
    }
}
