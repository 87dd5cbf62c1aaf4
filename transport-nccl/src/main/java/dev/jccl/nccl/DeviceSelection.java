package dev.jccl.nccl;

import dev.jccl.JcclConfig;

import java.util.Map;

/**
 * Which CUDA device a rank drives: {@code JCCL_CUDA_DEVICE} (or the system property
 * {@code jccl.cuda.device}) when set, otherwise the local rank, as torchrun-launched PyTorch code
 * does. NCCL refuses two ranks of one communicator on one device, so a local rank beyond the
 * visible devices is an error, not a silent wrap-around.
 */
public final class DeviceSelection
{
    public static final String ENV = "JCCL_CUDA_DEVICE";
    public static final String PROPERTY = "jccl.cuda.device";

    private DeviceSelection()
    {
    }

    /** The device for this process's rank. */
    public static int resolve(final JcclConfig config, final int deviceCount)
    {
        return resolve(config.localRank(), System.getProperty(PROPERTY), System.getenv(ENV), deviceCount, System.getenv());
    }

    static int resolve(final int localRank, final String property, final String env, final int deviceCount, final Map<String, String> environment)
    {
        final String source;
        final String text;
        if (property != null && !property.isBlank())
        {
            source = "-D" + PROPERTY;
            text = property.trim();
        }
        else if (env != null && !env.isBlank())
        {
            source = ENV;
            text = env.trim();
        }
        else
        {
            source = "LOCAL_RANK";
            text = Integer.toString(Math.max(localRank, 0));
        }
        final int device;
        try
        {
            device = Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(source + " must be a CUDA device ordinal, got '" + text + "'");
        }
        if (device < 0)
        {
            throw new IllegalArgumentException(source + " must be >= 0, got " + device);
        }
        if (device >= deviceCount)
        {
            final String visible = environment.get("CUDA_VISIBLE_DEVICES");
            throw new IllegalArgumentException("CUDA device " + device + " (from " + source + ") does not exist: " + deviceCount +
                " device(s) visible" + (visible != null ? " (CUDA_VISIBLE_DEVICES=" + visible + ")" : "") +
                "; run at most " + deviceCount + " rank(s) per host, or set " + ENV);
        }
        return device;
    }
}
