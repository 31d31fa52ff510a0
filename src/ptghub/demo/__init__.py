"""The demo event shipped with ptghub: the virtual PTG of April 4-8 2022."""
