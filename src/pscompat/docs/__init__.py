"""pscompat.docs"""
