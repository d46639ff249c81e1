//! Learning machinery: averaged perceptron, feature hashing, model file format.
