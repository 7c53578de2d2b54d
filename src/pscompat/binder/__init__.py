"""pscompat.binder"""
