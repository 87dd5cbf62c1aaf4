import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the samples of a JFR recording fall: the top frames (self time) and the frames anywhere
 * on the stack (total time) of jdk.ExecutionSample and jdk.NativeMethodSample events, counted per
 * method. Run as a single-file program (JDK 11+):
 *
 * <pre>java bench/profile/JfrTop.java [--threads NAME_PREFIX] [--top N] recording.jfr...</pre>
 *
 * It exists because {@code jfr print --events jdk.ExecutionSample} on JDK 17 can fail on frames of
 * hidden classes (lambdas), and because counts per method are what a profile summary needs.
 */
public final class JfrTop
{
    public static void main(final String[] args) throws IOException
    {
        String threadPrefix = "main";
        int top = 25;
        final Map<String, Integer> self = new HashMap<>();
        final Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--threads" -> threadPrefix = args[++i];
                case "--top" -> top = Integer.parseInt(args[++i]);
                default ->
                {
                    for (final RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[i])))
                    {
                        final String type = event.getEventType().getName();
                        if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample"))
                        {
                            continue;
                        }
                        final var thread = event.getThread("sampledThread");
                        if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith(threadPrefix))
                        {
                            continue;
                        }
                        final RecordedStackTrace stack = event.getStackTrace();
                        if (stack == null || stack.getFrames().isEmpty())
                        {
                            continue;
                        }
                        samples++;
                        final List<RecordedFrame> frames = stack.getFrames();
                        self.merge(name(frames.get(0)), 1, Integer::sum);
                        frames.stream().map(JfrTop::name).distinct().forEach(m -> total.merge(m, 1, Integer::sum));
                    }
                }
            }
        }
        System.out.printf("%d samples of threads '%s*'%n", samples, threadPrefix);
        print("self (top frame)", self, samples, top);
        print("total (anywhere on the stack)", total, samples, top);
    }

    private static String name(final RecordedFrame frame)
    {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(final String title, final Map<String, Integer> counts, final int samples, final int top)
    {
        System.out.println("## " + title);
        counts.entrySet().stream()
            .sorted((a, b) -> b.getValue() - a.getValue())
            .limit(top)
            .forEach(e -> System.out.printf("%6.1f%%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getValue(), e.getKey()));
    }
}
