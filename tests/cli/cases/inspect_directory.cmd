inspect .
