import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * What a running server has allocated and holds, read through the JDK's own attach and JMX
 * (no agent of ours in the server): bench/write-cost.sh calls it before and after the writes.
 *   java bench/JvmProbe.java PID         prints: allocated_bytes loaded_classes heap_used_bytes
 *   java bench/JvmProbe.java PID gc      the same, the heap measured after a full collection
 */
public class JvmProbe {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
                ClassLoadingMXBean classes = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.CLASS_LOADING_MXBEAN_NAME, ClassLoadingMXBean.class);
                MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
                // allocated by every thread since the start, those that ended included (JDK 14+)
                long allocated = threads.getTotalThreadAllocatedBytes();
                if (args.length > 1 && args[1].equals("gc")) memory.gc();
                System.out.println(allocated + " " + classes.getLoadedClassCount() + " " + memory.getHeapMemoryUsage().getUsed());
            }
        } finally {
            vm.detach();
        }
    }
}
