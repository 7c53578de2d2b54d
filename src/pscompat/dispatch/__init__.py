"""pscompat.dispatch"""
