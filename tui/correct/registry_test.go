package correct

// Platform titles and lists come from the registered descriptors.
import _ "headshot/upload/all"
