package dev.jccl.tcp.store;

/**
 * Layouts of the bootstrap store protocol (big-endian, network order), spoken after the
 * connection handshake ({@link dev.jccl.wire.HandshakeDescriptor}, role
 * {@code ROLE_STORE_CLIENT}). One request in flight per connection; the server answers each
 * request with exactly one response, in order.
 *
 * <pre>
 * REQUEST   opcode int8 | pad int8[3] | keyCount int32 | valueCount int32 | arg int64 |
 *           keyCount   x (keyLength int32   | key[keyLength] (UTF-8)) |
 *           valueCount x (valueLength int32 | value[valueLength])
 * RESPONSE  status int8 | pad int8[3] | partCount int32 | arg int64 |
 *           partCount  x (partLength int32  | part[partLength])
 * </pre>
 *
 * <table>
 * <caption>Requests</caption>
 * <tr><th>opcode</th><th>keys</th><th>values</th><th>arg</th><th>response</th></tr>
 * <tr><td>SET</td><td>1</td><td>1</td><td>-</td><td>OK</td></tr>
 * <tr><td>GET</td><td>1</td><td>0</td><td>wait ms</td><td>OK [value] | TIMEOUT</td></tr>
 * <tr><td>WAIT</td><td>1..MAX_WAIT_KEYS</td><td>0</td><td>wait ms</td><td>OK | TIMEOUT [missing keys...]</td></tr>
 * <tr><td>ADD</td><td>1</td><td>0</td><td>delta</td><td>OK, arg = new value</td></tr>
 * <tr><td>COMPARE_SET</td><td>1</td><td>2 (expected, desired)</td><td>-</td><td>OK [value now stored, empty if none]</td></tr>
 * <tr><td>DELETE</td><td>1</td><td>0</td><td>-</td><td>OK | NOT_FOUND</td></tr>
 * <tr><td>CHECK</td><td>1</td><td>0</td><td>-</td><td>OK | NOT_FOUND</td></tr>
 * </table>
 *
 * Every length and count is checked against the limits below before anything is allocated; a
 * request that breaks them, or has an unknown opcode or the wrong number of keys or values, is
 * malformed and the server closes that connection (only). ERROR carries one UTF-8 message part
 * and leaves the connection usable (e.g. the store is full, a counter holds a non-number).
 * Counters written by ADD are stored as ASCII decimal text, so GET returns them readable.
 */
public final class StoreDescriptor
{
    public static final int REQUEST_OPCODE_OFFSET = 0;
    public static final int REQUEST_KEY_COUNT_OFFSET = 4;
    public static final int REQUEST_VALUE_COUNT_OFFSET = 8;
    public static final int REQUEST_ARG_OFFSET = 12;
    public static final int REQUEST_HEADER_LENGTH = 20;

    public static final int RESPONSE_STATUS_OFFSET = 0;
    public static final int RESPONSE_PART_COUNT_OFFSET = 4;
    public static final int RESPONSE_ARG_OFFSET = 8;
    public static final int RESPONSE_HEADER_LENGTH = 16;

    /** Length prefix of every key, value and response part. */
    public static final int PART_LENGTH_SIZE = 4;

    public static final byte OP_SET = 1;
    public static final byte OP_GET = 2;
    public static final byte OP_WAIT = 3;
    public static final byte OP_ADD = 4;
    public static final byte OP_COMPARE_SET = 5;
    public static final byte OP_DELETE = 6;
    public static final byte OP_CHECK = 7;

    public static final byte STATUS_OK = 0;
    public static final byte STATUS_NOT_FOUND = 1;
    public static final byte STATUS_TIMEOUT = 2;
    public static final byte STATUS_ERROR = 3;

    /** Longest key, in UTF-8 bytes. */
    public static final int MAX_KEY_LENGTH = 1024;
    /** Longest value, in bytes. */
    public static final int MAX_VALUE_LENGTH = 1 << 20;
    /** Most keys one WAIT request may name (clients split longer lists). */
    public static final int MAX_WAIT_KEYS = 4096;
    /** Most keys the server holds; a SET, ADD or COMPARE_SET of a new key beyond it is an ERROR. */
    public static final int MAX_KEYS = 100_000;
    /** Longest ERROR message, in bytes. */
    public static final int MAX_ERROR_LENGTH = 1024;

    private StoreDescriptor()
    {
    }

    public static String opcodeName(final int opcode)
    {
        switch (opcode)
        {
            case OP_SET: return "SET";
            case OP_GET: return "GET";
            case OP_WAIT: return "WAIT";
            case OP_ADD: return "ADD";
            case OP_COMPARE_SET: return "COMPARE_SET";
            case OP_DELETE: return "DELETE";
            case OP_CHECK: return "CHECK";
            default: return "unknown opcode " + opcode;
        }
    }

    /** @return how many keys the opcode takes exactly, or -1 for 1..MAX_WAIT_KEYS (WAIT), -2 if unknown. */
    public static int keyCount(final int opcode)
    {
        switch (opcode)
        {
            case OP_SET:
            case OP_GET:
            case OP_ADD:
            case OP_COMPARE_SET:
            case OP_DELETE:
            case OP_CHECK:
                return 1;
            case OP_WAIT:
                return -1;
            default:
                return -2;
        }
    }

    /** @return how many values the opcode takes, or -1 if the opcode is unknown. */
    public static int valueCount(final int opcode)
    {
        switch (opcode)
        {
            case OP_SET: return 1;
            case OP_COMPARE_SET: return 2;
            case OP_GET:
            case OP_WAIT:
            case OP_ADD:
            case OP_DELETE:
            case OP_CHECK:
                return 0;
            default:
                return -1;
        }
    }
}
