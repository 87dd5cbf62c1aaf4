package dev.jccl.env;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what a class logs through System.Logger (backed by java.util.logging in this module). */
final class LogCapture extends Handler implements AutoCloseable
{
    private final Logger logger;
    private final Level previous;
    final List<LogRecord> records = new ArrayList<>();

    LogCapture(final Class<?> type)
    {
        logger = Logger.getLogger(type.getName());
        previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(final LogRecord record)
    {
        records.add(record);
    }

    synchronized List<String> messages(final Level level)
    {
        final List<String> out = new ArrayList<>();
        for (final LogRecord record : records)
        {
            if (record.getLevel().equals(level))
            {
                out.add(record.getMessage());
            }
        }
        return out;
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void close()
    {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }
}
