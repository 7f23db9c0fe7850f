package dev.plugai.core.attachments;

import dev.plugai.core.backends.ImageInput;
import dev.plugai.core.errors.PlugAiException.InvalidRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a request's attachments into checked images: inline data is decoded, URLs are fetched through the
 * {@link SafeImageFetcher}; each is checked to be an image by its bytes and held to the byte cap. Errors
 * name the attachment by its position, so the caller knows which one to fix. Thread-safe.
 */
public final class AttachmentResolver {

    /** Images one request may carry; each provider has its own limit, this keeps one request bounded. */
    public static final int MAX_ATTACHMENTS = 16;

    private final SafeImageFetcher fetcher;
    private final long maxBytes;

    public AttachmentResolver(SafeImageFetcher fetcher, long maxBytes) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.maxBytes = maxBytes;
    }

    /**
     * The images, in order. {@code firstNumber} is the 1-based position of the first one in the whole request.
     *
     * @throws InvalidRequest naming the attachment that is malformed, refused, too large or not an image
     */
    public List<ImageInput> resolve(List<AttachmentSource> sources, int firstNumber) {
        List<ImageInput> images = new ArrayList<>(sources.size());
        int number = firstNumber;
        for (AttachmentSource source : sources) {
            images.add(resolve(source, number++));
        }
        return images;
    }

    private ImageInput resolve(AttachmentSource source, int number) {
        if (source == null || source.url().isPresent() == source.data().isPresent()) {
            throw new InvalidRequest("Attachment " + number + ": give exactly one of url and data.");
        }
        try {
            FetchedImage image = source.url().isPresent()
                    ? fetcher.fetch(source.url().get())
                    : SafeImageFetcher.decodeBase64(source.data().get(), maxBytes);
            return new ImageInput(image.mediaType(), image.base64());
        } catch (InvalidRequest refused) {
            throw new InvalidRequest("Attachment " + number + ": " + refused.getMessage() + ".");
        }
    }
}
