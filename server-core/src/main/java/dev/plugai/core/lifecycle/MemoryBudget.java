package dev.plugai.core.lifecycle;

import java.lang.management.ManagementFactory;

/**
 * How many bytes loaded models may hold in all: configured, or by default 75% of the machine's RAM
 * minus the JVM's maximum heap (models live outside the heap).
 */
public record MemoryBudget(long bytes) {

    /** The default for this machine. */
    public static MemoryBudget automatic() {
        long total = physicalMemory();
        long heap = Runtime.getRuntime().maxMemory();
        return new MemoryBudget(Math.max(256L << 20, (long) (total * 0.75) - heap));
    }

    static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 8L << 30;
    }
}
