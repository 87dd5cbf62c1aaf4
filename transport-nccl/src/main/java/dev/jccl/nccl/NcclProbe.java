package dev.jccl.nccl;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nccl;
import org.bytedeco.javacpp.Loader;

import java.util.Locale;

/**
 * Can NCCL run in this process? Checked once, in an order that never lets a linkage error out:
 * platform, the driver library on disk, a guarded load of the CUDA runtime bindings, the device
 * count, NCCL on disk, a guarded load of the NCCL bindings, NCCL's version. The result is cached;
 * nothing here throws.
 */
public final class NcclProbe
{
    /** Oldest NCCL this transport calls into (ncclGetLastError, ncclAvg, bf16 all exist from here). */
    public static final int MIN_NCCL_VERSION = NcclTypes.versionCode(2, 13, 0);

    public static final String DRIVER_LIBRARY = "libcuda.so.1";
    public static final String RUNTIME_LIBRARY = "libcudart.so.13";
    public static final String NCCL_LIBRARY = "libnccl.so.2";

    public static final String NO_DRIVER =
        "no CUDA driver (" + DRIVER_LIBRARY + " not found: install the NVIDIA driver)";
    public static final String NO_RUNTIME =
        "no CUDA runtime (" + RUNTIME_LIBRARY + " not found: install the CUDA 13 runtime, e.g. the cuda-cudart-13-x package, " +
        "or put the nvidia-cuda-runtime wheel's lib directory on LD_LIBRARY_PATH)";
    public static final String NO_NCCL =
        "no NCCL library (" + NCCL_LIBRARY + " not found: install libnccl2 or put the nvidia-nccl wheel's lib directory on LD_LIBRARY_PATH)";
    public static final String NO_DEVICE = "no CUDA device";

    /** Set to "false" to skip the on-disk search and go straight to the guarded loads (tests). */
    static final String LIBRARY_SEARCH_PROPERTY = "jccl.nccl.probe.librarySearch";

    private static volatile Result cached;

    /** What the probe found. */
    public static final class Result
    {
        private final String reason;
        private final int deviceCount;
        private final int driverVersion;
        private final int runtimeVersion;
        private final int ncclVersion;

        Result(final String reason, final int deviceCount, final int driverVersion, final int runtimeVersion, final int ncclVersion)
        {
            this.reason = reason;
            this.deviceCount = deviceCount;
            this.driverVersion = driverVersion;
            this.runtimeVersion = runtimeVersion;
            this.ncclVersion = ncclVersion;
        }

        static Result unavailable(final String reason)
        {
            return new Result(reason, 0, 0, 0, 0);
        }

        /** Why NCCL cannot run here, or null when it can. */
        public String reason()
        {
            return reason;
        }

        public boolean available()
        {
            return reason == null;
        }

        public int deviceCount()
        {
            return deviceCount;
        }

        /** cudaDriverGetVersion, e.g. 13010; 0 when unknown. */
        public int driverVersion()
        {
            return driverVersion;
        }

        public int runtimeVersion()
        {
            return runtimeVersion;
        }

        /** ncclGetVersion, e.g. 22903; 0 when unknown. */
        public int ncclVersion()
        {
            return ncclVersion;
        }

        @Override
        public String toString()
        {
            return reason != null ? "NCCL unavailable: " + reason
                : "NCCL " + NcclTypes.versionString(ncclVersion) + ", CUDA driver " + cudaVersion(driverVersion) +
                ", runtime " + cudaVersion(runtimeVersion) + ", " + deviceCount + " device(s)";
        }
    }

    private NcclProbe()
    {
    }

    /** The cached probe of this process. */
    public static Result result()
    {
        Result result = cached;
        if (result == null)
        {
            synchronized (NcclProbe.class)
            {
                result = cached;
                if (result == null)
                {
                    result = probe(LibrarySearch.system(), !"false".equals(System.getProperty(LIBRARY_SEARCH_PROPERTY)));
                    cached = result;
                }
            }
        }
        return result;
    }

    /** Runs every check with {@code search}; never throws. */
    static Result probe(final LibrarySearch search, final boolean searchLibraries)
    {
        try
        {
            final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            final String arch = System.getProperty("os.arch", "");
            if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64")))
            {
                return Result.unavailable("the NCCL transport runs on linux-x86_64 only (this is " + os + "-" + arch + ")");
            }
            if (searchLibraries && search.locate(DRIVER_LIBRARY) == null)
            {
                return Result.unavailable(NO_DRIVER);
            }
            String reason = loadGuarded(cudart.class);
            if (reason != null)
            {
                return Result.unavailable(reason);
            }
            final int[] value = new int[1];
            int driverVersion = 0;
            if (cudart.cudaDriverGetVersion(value) == cudart.cudaSuccess)
            {
                driverVersion = value[0];
            }
            int runtimeVersion = 0;
            if (cudart.cudaRuntimeGetVersion(value) == cudart.cudaSuccess)
            {
                runtimeVersion = value[0];
            }
            value[0] = 0;
            final int err = cudart.cudaGetDeviceCount(value);
            if (err != cudart.cudaSuccess || value[0] <= 0)
            {
                return new Result(NO_DEVICE + (err != cudart.cudaSuccess ? " (cudaGetDeviceCount: " + Cuda.errorName(err) + ")" : "") +
                    (err == cudart.cudaErrorInsufficientDriver
                        ? ": the NVIDIA driver (CUDA " + cudaVersion(driverVersion) + ") is older than the CUDA " +
                        cudaVersion(runtimeVersion) + " runtime; update the driver"
                        : ""), 0, driverVersion, runtimeVersion, 0);
            }
            final int deviceCount = value[0];
            if (searchLibraries && search.locate(NCCL_LIBRARY) == null)
            {
                return new Result(NO_NCCL, deviceCount, driverVersion, runtimeVersion, 0);
            }
            reason = loadGuarded(nccl.class);
            if (reason != null)
            {
                return new Result(reason, deviceCount, driverVersion, runtimeVersion, 0);
            }
            value[0] = 0;
            final int ncclErr = nccl.ncclGetVersion(value);
            if (ncclErr != nccl.ncclSuccess)
            {
                return new Result("NCCL failed to report its version (error " + ncclErr + ")", deviceCount, driverVersion, runtimeVersion, 0);
            }
            if (value[0] < MIN_NCCL_VERSION)
            {
                return new Result("NCCL " + NcclTypes.versionString(value[0]) + " is too old (need " +
                    NcclTypes.versionString(MIN_NCCL_VERSION) + " or newer: upgrade libnccl2 or the nvidia-nccl wheel)",
                    deviceCount, driverVersion, runtimeVersion, value[0]);
            }
            return new Result(null, deviceCount, driverVersion, runtimeVersion, value[0]);
        }
        catch (final Throwable ex)
        {
            return Result.unavailable(classify(ex));
        }
    }

    /** Loads the JavaCPP bindings of {@code presets}; returns why it failed, or null. Never throws. */
    static String loadGuarded(final Class<?> presets)
    {
        try
        {
            Loader.load(presets);
            return null;
        }
        catch (final Throwable ex)
        {
            return classify(ex);
        }
    }

    /** A one-line reason for a load failure, naming the library that is missing. */
    static String classify(final Throwable ex)
    {
        final StringBuilder all = new StringBuilder();
        for (Throwable t = ex; t != null && all.length() < 4096; t = t.getCause())
        {
            all.append(t.getMessage()).append(' ');
        }
        final String text = all.toString();
        if (text.contains("libcuda.so"))
        {
            return NO_DRIVER;
        }
        if (text.contains("libcudart.so"))
        {
            return NO_RUNTIME;
        }
        if (text.contains("libnccl.so"))
        {
            return NO_NCCL;
        }
        // A class whose initialiser already failed once reports only "Could not initialize class"
        // (or the first error's top line, which names the JNI library, not the missing one): ask the disk.
        if (text.contains("Could not initialize class") || text.contains("jnicudart") || text.contains("jninccl"))
        {
            final LibrarySearch search = LibrarySearch.system();
            if (search.locate(DRIVER_LIBRARY) == null)
            {
                return NO_DRIVER;
            }
            if (search.locate(RUNTIME_LIBRARY) == null && !text.contains("nccl"))
            {
                return NO_RUNTIME;
            }
            if ((text.contains("nccl")) && search.locate(NCCL_LIBRARY) == null)
            {
                return NO_NCCL;
            }
        }
        final String first = String.valueOf(ex.getMessage()).split("\n", 2)[0];
        return "the CUDA/NCCL bindings failed to load (" + ex.getClass().getSimpleName() + ": " + first + ")";
    }

    /** "13.1" for 13010. */
    static String cudaVersion(final int code)
    {
        return code <= 0 ? "unknown" : code / 1000 + "." + code % 1000 / 10;
    }
}
