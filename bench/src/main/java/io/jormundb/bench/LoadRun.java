package io.jormundb.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code connections} threads, each with its own keep-alive connection,
 * send the requests {@code requests} makes, numbered from a distinct start per thread back to back for a warm-up, then for the measured time. Latencies
 * go into HdrHistograms (microseconds); a non-200 answer counts as an error.
 */
final class LoadRun {
    /** What one measured load did. */
    record Result(String label, long requests, long errors, double perSecond, Histogram latency,
                  double cpuMicrosPerRequest) {
        long p(double percentile) {
            return latency.getValueAtPercentile(percentile);
        }

        String line(String target) {
            return String.format("%-8s %-26s %9.0f req/s  p50 %6d us  p99 %6d us  p99.9 %7d us  server CPU %5.0f us/req"
                    + "  errors %d", target, label, perSecond, p(50), p(99), p(99.9), cpuMicrosPerRequest, errors);
        }
    }

    private LoadRun() {
    }

    /** Runs the load against {@code target}; its server CPU time is read at the end of the warm-up and at the end. */
    static Result run(Target target, String label, LongFunction<byte[]> requests, int connections, double warmupSeconds,
                      double seconds) throws InterruptedException, IOException {
        URI endpoint = target.endpoint();
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        long end = warmupEnd + (long) (seconds * 1e9);
        List<Histogram> histograms = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Histogram h = new Histogram(60_000_000L, 3);
            histograms.add(h);
            long offset = c * 1_000_000_000L;
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                long i = offset;
                while (System.nanoTime() < end) {
                    try (RawHttp http = new RawHttp(endpoint)) {
                        for (; ; i++) {
                            long start = System.nanoTime();
                            if (start >= end) {
                                return;
                            }
                            int status = http.send(requests.apply(i)).status();
                            long micros = (System.nanoTime() - start) / 1000;
                            if (start >= warmupEnd) {
                                h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
                                done.incrementAndGet();
                                if (status != 200) {
                                    errors.incrementAndGet();
                                }
                            }
                        }
                    } catch (IOException e) {
                        // The server closed the connection: an error, then a new connection.
                        errors.incrementAndGet();
                        i++;
                    }
                }
            }));
        }
        Pause.until(warmupEnd);
        long cpuStart = target.cpuMillis();
        for (Thread t : threads) {
            t.join();
        }
        long cpu = target.cpuMillis() - cpuStart;
        Histogram all = new Histogram(60_000_000L, 3);
        histograms.forEach(all::add);
        return new Result(label, done.get(), errors.get(), done.get() / seconds, all,
                done.get() == 0 ? Double.NaN : cpu * 1000.0 / done.get());
    }
}
