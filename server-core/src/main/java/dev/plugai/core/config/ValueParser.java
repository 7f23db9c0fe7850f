package dev.plugai.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the raw text of a setting into its typed value, or says in plain words why it cannot. */
interface ValueParser<T> {

    T parse(String raw);

    String typeName();

    static ValueParser<String> text() {
        return of("text", raw -> {
            if (raw.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return raw.strip();
        });
    }

    /** Text that may be empty, for settings whose empty default means "off". */
    static ValueParser<String> optionalText() {
        return of("text (may be empty)", String::strip);
    }

    static ValueParser<Integer> integer(int min, int max) {
        return of("integer " + min + ".." + max, raw -> {
            int value;
            try {
                value = Integer.parseInt(raw.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + raw + "' is not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is outside " + min + ".." + max);
            }
            return value;
        });
    }

    static ValueParser<Boolean> bool() {
        return of("true|false", raw -> switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("'" + raw + "' is not true or false");
        });
    }

    static ValueParser<Path> path() {
        return of("path", raw -> {
            String value = raw.strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("must not be empty");
            }
            if (value.equals("~") || value.startsWith("~/")) {
                value = System.getProperty("user.home") + value.substring(1);
            }
            try {
                return Path.of(value).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + raw + "' is not a valid path");
            }
        });
    }

    /** Comma-separated paths; empty text is an empty list. */
    static ValueParser<List<Path>> pathList() {
        ValueParser<Path> single = path();
        return of("paths, comma-separated", raw -> java.util.Arrays.stream(raw.split(","))
                .map(String::strip).filter(part -> !part.isEmpty()).map(single::parse).toList());
    }

    static ValueParser<String> oneOf(String... choices) {
        List<String> allowed = List.of(choices);
        return of(String.join("|", choices), raw -> {
            String value = raw.strip().toLowerCase(Locale.ROOT);
            if (!allowed.contains(value)) {
                throw new IllegalArgumentException("'" + raw + "' is not one of " + String.join(", ", choices));
            }
            return value;
        });
    }

    /** A byte size: {@code 1048576}, {@code 512KiB}, {@code 16MiB}, {@code 2GiB} (KB/MB/GB are read as powers of 1024 too). */
    static ValueParser<Long> byteSize(long min) {
        Pattern pattern = Pattern.compile("(\\d+)\\s*([KMGT]?)(I?B)?", Pattern.CASE_INSENSITIVE);
        return of("size (e.g. 16MiB)", raw -> {
            Matcher matcher = pattern.matcher(raw.strip().replace("_", ""));
            if (!matcher.matches()) {
                throw new IllegalArgumentException("'" + raw + "' is not a size such as 1048576, 512KiB or 16MiB");
            }
            int shift = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                case "T" -> 40;
                default -> 0;
            };
            long value;
            try {
                value = Math.multiplyExact(Long.parseLong(matcher.group(1)), 1L << shift);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("'" + raw + "' is too large");
            }
            if (value < min) {
                throw new IllegalArgumentException("'" + raw + "' is below the minimum of " + min + " bytes");
            }
            return value;
        });
    }

    /** {@code auto} (read as 0) or a byte size of at least {@code min}. */
    static ValueParser<Long> byteSizeOrAuto(long min) {
        ValueParser<Long> size = byteSize(min);
        return of("auto or a size (e.g. 8GiB)", raw -> raw.strip().equalsIgnoreCase("auto") ? 0L : size.parse(raw));
    }

    /** A duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30S}). */
    static ValueParser<Duration> duration() {
        Pattern pattern = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
        return of("duration (e.g. 30s, 5m)", raw -> {
            String value = raw.strip();
            Matcher matcher = pattern.matcher(value);
            Duration parsed;
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                parsed = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } else {
                try {
                    parsed = Duration.parse(value);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("'" + raw + "' is not a duration such as 30s, 5m or PT30S");
                }
            }
            if (parsed.isNegative()) {
                throw new IllegalArgumentException("'" + raw + "' is negative");
            }
            return parsed;
        });
    }

    private static <T> ValueParser<T> of(String typeName, java.util.function.Function<String, T> function) {
        return new ValueParser<>() {
            @Override
            public T parse(String raw) {
                return function.apply(raw);
            }

            @Override
            public String typeName() {
                return typeName;
            }
        };
    }
}
